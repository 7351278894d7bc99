import { z } from 'zod';
import { scenarioSchema } from './schema.ts';

/** The scenario schema as JSON Schema (the input side: units written as strings). */
export function scenarioJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(scenarioSchema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }),
    $id: 'https://webfarm.invalid/scenario.schema.json',
    title: 'webfarm scenario',
  };
}
