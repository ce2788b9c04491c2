import type { ServiceContext } from '../../../services/context';
import { getMessageTemplate, listMessageTemplates, previewMessageTemplate, previewMessageTemplatePdf, saveMessageTemplate } from '../../../services/messageTemplates';
import { messageTemplateRoutes as contract } from '../contract/messageTemplates';
import { implement } from '../routing';

/** Message templates over the shipped ones (administrators). */
export function messageTemplateRoutes(ctx: ServiceContext) {
  return [
    implement(contract.listMessageTemplates, async (c) => ({ status: 200, json: await listMessageTemplates(ctx, c.get('principal')) })),
    implement(contract.getMessageTemplate, async (c, { params, query }) => ({ status: 200, json: await getMessageTemplate(ctx, c.get('principal'), params.kind, params.language, query.channel) })),
    implement(contract.saveMessageTemplate, async (c, { params, body, query }) => ({ status: 200, json: await saveMessageTemplate(ctx, c.get('principal'), params.kind, params.language, body, query.channel) })),
    implement(contract.previewMessageTemplate, async (c, { params, body }) => ({ status: 200, json: await previewMessageTemplate(ctx, c.get('principal'), params.kind, params.language, body) })),
    implement(contract.previewMessageTemplatePdf, async (c, { params, body }) => {
      const { filename, bytes } = await previewMessageTemplatePdf(ctx, c.get('principal'), params.kind, params.language, body);
      return { status: 200, body: bytes, contentType: 'application/pdf', headers: { 'Content-Disposition': `inline; filename="${filename}"`, 'Cache-Control': 'private, no-store' } };
    }),
  ];
}
