// Port: a short lease on (account, region, model), so one activation runs at a time across processes (two CLI runs,
// the CLI and the bot). The in-process single flight in activate-model.ts only covers one process. src/store
// implements it over DynamoDB (a conditional write with an expiry); under-lease.ts holds it and waits on it.

/** Who holds a lease now, or what the last holder left when it let go. */
export interface LeaseState {
  /** The current holder's token; absent when the lease is free. */
  token?: string;
  /** The current holder, for the waiting side's message (e.g. the request id). */
  holder?: string;
  /** Epoch ms the current holding ends unless renewed. */
  until?: number;
  /** The holder's steps so far (JSON, opaque here), so a process waiting on it can show them. */
  progress?: string;
  /** The token of the last holder that released the lease, and the outcome it left (JSON, opaque here). */
  lastToken?: string;
  outcome?: string;
}

export type LeaseAttempt = { acquired: true; token: string } | { acquired: false; state: LeaseState };

export interface ActivationLease {
  /** Takes the lease when it is free or its holder's time ran out (a crashed holder). */
  acquire(key: string, holder: string, ttlMs: number): Promise<LeaseAttempt>;
  /** Extends a held lease, recording the holder's `progress` when given; false when it is not ours any more. */
  renew(key: string, token: string, ttlMs: number, progress?: string): Promise<boolean>;
  /** Frees a held lease, leaving `outcome` for whoever waited for it. */
  release(key: string, token: string, outcome?: string): Promise<void>;
  read(key: string): Promise<LeaseState | undefined>;
}
