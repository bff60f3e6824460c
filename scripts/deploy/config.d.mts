export type Setting = { name: string; ask?: string; optional?: boolean; generate?: () => string };
export declare const PRODUCTION_SECRETS: Setting[];
export declare const PRODUCTION_VARS: Setting[];
export declare const QUEUES: string[];
export declare const D1_NAME: string;
export declare const KV_TITLE: string;
export declare const PRODUCTION_WORKER: string;
