import type { UnionExchangeAdapter, UnionFileMeta } from './index';

/** In-process stand-in for the unions' channels: keeps what was sent, once per file key. */
export class FakeUnionExchange implements UnionExchangeAdapter {
  readonly sent = new Map<string, { file: string; meta: UnionFileMeta; deliveryId: string }>();

  async sendMemberList(file: string, meta: UnionFileMeta): Promise<{ deliveryId: string }> {
    const known = this.sent.get(meta.fileKey);
    if (known) return { deliveryId: known.deliveryId };
    const deliveryId = `union-file-${this.sent.size + 1}`;
    this.sent.set(meta.fileKey, { file, meta, deliveryId });
    return { deliveryId };
  }
}
