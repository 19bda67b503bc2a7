import { type Logger, pino } from 'pino';

/** A pino logger writing JSON lines to stderr (stdout carries data only). */
export function createLogger(level = 'info', name = 'traceprop'): Logger {
  return pino({ name, level }, pino.destination({ fd: 2, sync: true }));
}

export type { Logger };
