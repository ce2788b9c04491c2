declare global {
  namespace App {
    /** An error page's problem: the API's code and params are what the page translates. */
    interface Error {
      message: string;
      code?: string | undefined;
      params?: Record<string, string | number> | undefined;
    }
    interface Locals {
      lang: 'fi' | 'sv' | 'en';
    }
  }
}

export {};
