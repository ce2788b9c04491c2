import { it } from 'vitest';
import { startWebStack } from '../support/webServer';

it('debug', async () => {
  const web = await startWebStack();
  const orig = console.error;
  console.error = (...args: unknown[]) => { orig('CONSOLE.ERROR', ...args, new Error('trace').stack); };
  for (const p of ['/api/public/fund', '/join']) {
    const r = await fetch(web.baseUrl + p);
    console.log(p, r.status, (await r.text()).slice(0, 600));
  }
  await web.close();
});
