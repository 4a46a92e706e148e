/** The few logger methods the HTTP adapter needs; pino's `Logger` satisfies it. */
export interface HttpLogger {
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
}
