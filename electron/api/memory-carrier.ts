// The in-memory carrier pair for tests: two ends that deliver each other's messages asynchronously
// (a microtask later, like a real pipe) and by structured clone, so a test catches anything that
// would not survive IPC or the WebSocket codec (functions, class instances, shared views).

import type { Carrier, Wire } from './channel.js';

class MemoryEnd implements Carrier {
  other!: MemoryEnd;
  private readonly listeners = new Set<(m: Wire) => void>();
  private readonly closers = new Set<() => void>();
  closed = false;

  send(msg: Wire): void {
    if (this.closed) throw new Error('carrier closed');
    const copy = structuredClone(msg);
    queueMicrotask(() => {
      if (!this.other.closed) for (const l of [...this.other.listeners]) l(copy);
    });
  }
  onMessage(l: (m: Wire) => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
  onClose(l: () => void): () => void {
    this.closers.add(l);
    return () => this.closers.delete(l);
  }
  close(): void {
    for (const end of [this, this.other]) {
      if (end.closed) continue;
      end.closed = true;
      for (const l of [...end.closers]) l();
    }
  }
}

export function createMemoryPair(): [MemoryEnd, MemoryEnd] {
  const a = new MemoryEnd();
  const b = new MemoryEnd();
  a.other = b;
  b.other = a;
  return [a, b];
}
