import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { WebhookRequest, WebhookResponse, WebhookSender } from '../../application/webhooks/webhook-sender.js';

/** An answer's body is read and dropped; a receiver that streams more than this is cut off. */
const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * POSTs with node:http(s) to the address the guard checked: the request's `lookup` answers that address, so the
 * connection cannot be steered elsewhere by a second DNS answer (rebinding), while the Host header and TLS SNI
 * (and certificate check) still use the URL's host name. Redirects are not followed (node:http never does): a 3xx
 * is an answer like any other non-2xx. The whole exchange, connection to last byte, is bounded by `timeoutMs`.
 */
export class NodeHttpWebhookSender implements WebhookSender {
  post(request: WebhookRequest): Promise<WebhookResponse> {
    const { url, address, family } = request.target;
    const pinned: LookupFunction = (_hostname, options, callback) => {
      if (options.all) (callback as unknown as (error: null, addresses: { address: string; family: number }[]) => void)(null, [{ address, family }]);
      else callback(null, address, family);
    };
    const body = Buffer.from(request.body, 'utf8');
    const client = url.protocol === 'https:' ? https : http;
    return new Promise((resolve) => {
      let settled = false;
      const finish = (response: WebhookResponse) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(response);
      };
      const req = client.request(
        {
          protocol: url.protocol,
          hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
          port: url.port === '' ? undefined : Number(url.port),
          path: `${url.pathname}${url.search}`,
          method: 'POST',
          headers: { ...request.headers, 'content-length': String(body.length) },
          lookup: pinned,
          // One connection per attempt: a pooled socket would outlive the check it was made under.
          agent: false,
        },
        (res) => {
          let received = 0;
          res.on('data', (chunk: Buffer) => {
            received += chunk.length;
            if (received > MAX_RESPONSE_BYTES) res.destroy();
          });
          res.on('error', () => finish({ status: res.statusCode ?? null, error: 'answer dropped' } as WebhookResponse));
          res.on('close', () => finish({ status: res.statusCode ?? 0 }));
        },
      );
      const timer = setTimeout(() => {
        req.destroy();
        finish({ status: null, error: `no answer within ${Math.round(request.timeoutMs / 1000)} s` });
      }, request.timeoutMs);
      req.on('error', (error: NodeJS.ErrnoException) => finish({ status: null, error: error.code ?? error.message }));
      req.end(body);
    });
  }
}
