declare global {
  namespace App {
    interface Locals {
      lang: 'fi' | 'sv' | 'en';
    }
  }
}

export {};
