/**
 * A lane is one compute worker with "latest wins" scheduling:
 * - at most one job runs; the newest request waits in a single pending slot (older pending ones are
 *   dropped without ever running);
 * - a running job that has been superseded is cancelled once it has run `cancelAfterMs` (0 = at
 *   once): through the shared abort counter when the page is cross-origin isolated (the core's
 *   CancelToken sees it inside a synchronous solve), else through a `cancel` message (seen between
 *   chunks); a worker that has not answered `killAfterMs` later is terminated and replaced;
 * - only replies of the running job are delivered (jobs start in increasing id order), so a stale
 *   result never overwrites a fresh one; a cancelled job's "cancelled" reply is swallowed.
 */
import type { DynamicsRequest, MapRequest, SceneDynamicsRequest, SceneSpectrumRequest, SpectrumRequest, WorkerReply } from './protocol.js';

export type LaneRequest = SpectrumRequest | DynamicsRequest | MapRequest | SceneSpectrumRequest | SceneDynamicsRequest;

export interface LaneOptions {
  name: string;
  /** Makes a worker (a fresh one after a kill). */
  create: () => Worker;
  /** Reply kinds that end a job (others are intermediate). */
  isFinal: (r: WorkerReply) => boolean;
  onReply: (r: WorkerReply) => void;
  cancelAfterMs: number;
  killAfterMs: number;
}

export class Lane {
  /** Started on the first request (a page that never uses a lane never loads its worker). */
  private worker: Worker | null = null;
  private shared: Int32Array | null;
  private running: { req: LaneRequest; start: number; cancelled: boolean } | null = null;
  private pending: LaneRequest | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** Counters for the performance panel and the tests. */
  readonly stats = { started: 0, cancelled: 0, killed: 0, dropped: 0 };

  constructor(private readonly opt: LaneOptions) {
    this.shared = typeof SharedArrayBuffer !== 'undefined' && globalThis.crossOriginIsolated ? new Int32Array(new SharedArrayBuffer(4)) : null;
  }

  /**
   * Messages wait here until the worker says it is ready (its first message, sent once its module
   * has loaded), so none can arrive before its `onmessage` handler exists.
   */
  private outbox: unknown[] | null = [];

  private spawn(): Worker {
    const w = this.opt.create();
    this.outbox = [{ kind: 'init', shared: this.shared?.buffer ?? null }];
    if (this.shared) Atomics.store(this.shared, 0, 0);
    w.onmessage = (ev: MessageEvent) => {
      const r = ev.data as WorkerReply;
      if (r.id < 0) {
        if (r.kind === 'error') this.opt.onReply(r); // the worker could not start its core
        const queued = this.outbox ?? [];
        this.outbox = null;
        for (const m of queued) w.postMessage(m);
        return;
      }
      this.receive(r);
    };
    w.onerror = (ev: ErrorEvent) => {
      ev.preventDefault();
      const id = this.running?.req.id ?? -1;
      this.opt.onReply({ kind: 'error', id, request: this.running?.req.kind ?? 'spectrum', message: `worker failed: ${ev.message}` });
      this.finish();
    };
    return w;
  }

  /** Asks for `req`; it supersedes anything not yet delivered. */
  request(req: LaneRequest): void {
    if (!this.running) {
      this.start(req);
      return;
    }
    if (this.pending) this.stats.dropped++;
    this.pending = req;
    const age = performance.now() - this.running.start;
    if (age >= this.opt.cancelAfterMs) this.cancelRunning();
    else this.arm(this.opt.cancelAfterMs - age, () => this.cancelRunning());
  }

  /** Drops the waiting request and cancels the running one (its reply is not delivered). */
  cancel(): void {
    if (this.pending) this.stats.dropped++;
    this.pending = null;
    this.cancelRunning();
  }

  get busy(): boolean {
    return this.running !== null || this.pending !== null;
  }

  private start(req: LaneRequest): void {
    this.clearTimer();
    this.running = { req, start: performance.now(), cancelled: false };
    this.stats.started++;
    this.send(req);
  }

  private cancelRunning(): void {
    const r = this.running;
    if (!r || r.cancelled) return;
    r.cancelled = true;
    this.stats.cancelled++;
    if (this.shared) Atomics.store(this.shared, 0, r.req.id + 1);
    this.send({ kind: 'cancel', id: r.req.id });
    this.arm(this.opt.killAfterMs, () => this.kill());
  }

  /** Terminates an unresponsive worker and starts over with the pending request. */
  private kill(): void {
    this.stats.killed++;
    this.worker?.terminate();
    this.worker = this.spawn();
    this.finish();
  }

  private send(msg: unknown): void {
    this.worker ??= this.spawn();
    if (this.outbox) this.outbox.push(msg);
    else this.worker.postMessage(msg);
  }

  private receive(r: WorkerReply): void {
    const cur = this.running;
    // Jobs run one at a time in increasing id order, so a reply of the running job is always newer
    // than anything delivered; replies of killed or finished jobs are dropped here.
    if (!cur || r.id !== cur.req.id) return;
    const cancelledReply = r.kind === 'error' && r.message === 'cancelled';
    if (!cancelledReply) this.opt.onReply(r);
    if (this.opt.isFinal(r)) this.finish();
  }

  private finish(): void {
    this.clearTimer();
    this.running = null;
    const next = this.pending;
    this.pending = null;
    if (next) this.start(next);
  }

  private arm(ms: number, fn: () => void): void {
    this.clearTimer();
    this.timer = setTimeout(fn, Math.max(0, ms));
  }

  private clearTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  dispose(): void {
    this.clearTimer();
    this.worker?.terminate();
    this.worker = null;
  }
}
