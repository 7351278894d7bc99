// `npm run schema`: writes scenarios/scenario.schema.json so editors (yaml-language-server)
// complete and check scenario files as they are typed.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { scenarioJsonSchema } from './json-schema.ts';

const out = fileURLToPath(new URL('./scenario.schema.json', import.meta.url));
writeFileSync(out, `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
if (process.stdout.isTTY) console.log(`wrote ${out.replace(process.cwd() + '/', '')}`);
