declare module 'har-validator/lib/promise.js' {
  interface AjvError {
    keyword: string;
    dataPath: string;
    message?: string;
    params?: Record<string, unknown>;
  }
  export function har(data: unknown): Promise<unknown>;
  export type { AjvError };
}
