/**
 * Leak tracking for tests: helpers register what they open (sessions, queues, workers,
 * connections); the root hook fails a test that leaves one open.
 */
interface TrackedResource {
  label: string;
  close: () => Promise<unknown> | unknown;
  open: boolean;
}

const resources = new Set<TrackedResource>();

/** Registers an open resource; call the returned function when it is closed. */
export function trackResource(label: string, close: () => Promise<unknown> | unknown): () => void {
  const resource: TrackedResource = { label, close, open: true };
  resources.add(resource);
  return () => {
    resource.open = false;
    resources.delete(resource);
  };
}

/** Closes whatever is still open and returns its labels (empty when nothing leaked). */
export async function closeLeakedResources(): Promise<string[]> {
  const leaked = [...resources].filter((r) => r.open);
  resources.clear();
  for (const resource of leaked) {
    try {
      await resource.close();
    } catch {
      // closing a leaked resource is best effort; the leak itself is the failure
    }
  }
  return leaked.map((r) => r.label);
}
