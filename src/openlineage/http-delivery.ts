import { defaults } from '../defaults.js';
import type { RunEvent } from './run-event.js';

/** Where and how {@link deliverOverHttp} posts events. */
export interface HttpDeliveryConfig {
  /** Base URL; events go to `<url>/api/v1/lineage` (the Marquez-compatible endpoint). */
  url: string;
  apiKey?: string;
  timeoutMs?: number;
  attempts?: number;
  backoffMs?: number;
}

/** Why a delivery failed, for the warning (never the API key). */
class DeliveryFailed extends Error {}

/**
 * POSTs one event, retrying a refused connection, a timeout, a 5xx, 408 or 429 with exponential
 * backoff; another 4xx is not retried (the receiver rejected the event). Throws
 * {@link DeliveryFailed} when it gives up.
 */
export async function deliverOverHttp(event: RunEvent, config: HttpDeliveryConfig): Promise<void> {
  const attempts = config.attempts ?? defaults.openLineageAttempts;
  const backoff = config.backoffMs ?? defaults.openLineageBackoffMs;
  const body = JSON.stringify(event);
  let last = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const response = await fetch(`${config.url}/api/v1/lineage`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(config.apiKey ? { authorization: `Bearer ${config.apiKey}` } : {}),
        },
        body,
        signal: AbortSignal.timeout(config.timeoutMs ?? defaults.openLineageTimeoutMs),
      });
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) return;
      last = `HTTP ${response.status}`;
      const retriable = response.status >= 500 || response.status === 408 || response.status === 429;
      if (!retriable) break;
    } catch (err) {
      last = (err as Error).name === 'TimeoutError' ? 'timed out' : (err as Error).message;
    }
    if (attempt < attempts) await new Promise((resolve) => setTimeout(resolve, backoff * 2 ** (attempt - 1)));
  }
  throw new DeliveryFailed(`${config.url}/api/v1/lineage: ${last}`);
}
