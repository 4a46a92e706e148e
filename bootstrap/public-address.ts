import type { Config } from './config.js';

/**
 * Where people reach the service: PUBLIC_URL, or `http://localhost:PORT` (a host name, not 127.0.0.1: WebAuthn
 * refuses IP addresses as relying-party ids). With PORT=0 the port is known only once the server listens, so
 * until then, and for a configured PUBLIC_URL always, `url` is what the configuration says; `listeningOn` fills in
 * the real port. Mail links, the allowed-origin check of the pages and what `npm start` prints read it.
 */
export class PublicAddress {
  #url: string;

  constructor(private readonly config: Pick<Config, 'publicUrl' | 'port'>) {
    this.#url = config.publicUrl ?? `http://localhost:${config.port}`;
  }

  get url(): string {
    return this.#url;
  }

  get origin(): string {
    return new URL(this.#url).origin;
  }

  listeningOn(port: number): void {
    if (this.config.publicUrl === undefined) this.#url = `http://localhost:${port}`;
  }
}
