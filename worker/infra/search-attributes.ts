import type { Connection } from '@temporalio/client';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes.js';
import { catySearchAttributes } from '../../workflows/conversation/search-attributes.js';
import { DEADLINE_EXCEEDED, INVALID_ARGUMENT, UNAVAILABLE, whenSettled } from './when-settled.js';

/**
 * Adds the Caty search attributes the namespace lacks, and returns once a workflow may be started
 * with all of them. A namespace created by an earlier release keeps the attributes it was created
 * with (the dev server registers `--search-attribute` only when it creates the namespace), so an
 * attribute added since would otherwise refuse every new conversation. Returns the names added.
 */
export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<string[]> {
  const listed = await whenSettled('listing search attributes', 30_000, () => connection.operatorService.listSearchAttributes({ namespace }));
  const missing = catySearchAttributes.filter((key) => !(key.name in (listed.customAttributes ?? {})));
  if (missing.length > 0) {
    const searchAttributes = Object.fromEntries(missing.map((key) => [key.name, encodeSearchAttributeIndexedValueType(key.type)!]));
    await whenSettled('adding search attributes', 30_000, () => connection.operatorService.addSearchAttributes({ namespace, searchAttributes }));
  }
  // The frontend and history services see new attributes only once their namespace caches
  // refresh (every few seconds). A visibility query naming them all fails with INVALID_ARGUMENT
  // until then, so success means a workflow may now be started with them.
  const query = catySearchAttributes.map((key) => `${key.name} ${key.type === 'INT' ? '= 0' : "= ''"}`).join(' AND ');
  await whenSettled('waiting for the search attributes', 30_000, () => connection.workflowService.countWorkflowExecutions({ namespace, query }), [
    INVALID_ARGUMENT,
    UNAVAILABLE,
    DEADLINE_EXCEEDED,
  ]);
  return missing.map((key) => key.name);
}
