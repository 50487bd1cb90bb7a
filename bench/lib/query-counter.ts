import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';

/** A Kysely plugin that counts statements by kind and first table (diagnostics for the benchmarks). */
export class QueryCounter implements KyselyPlugin {
  #counts = new Map<string, number>();

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const node = args.node as RootOperationNode & { from?: { froms?: { table?: { identifier?: { name?: string } } }[] }; into?: { table?: { identifier?: { name?: string } } }; table?: { table?: { identifier?: { name?: string } } } };
    let table = '';
    if (node.kind === 'SelectQueryNode') table = node.from?.froms?.[0]?.table?.identifier?.name ?? '';
    else if (node.kind === 'InsertQueryNode') table = node.into?.table?.identifier?.name ?? '';
    else if (node.kind === 'UpdateQueryNode') table = node.table?.table?.identifier?.name ?? '';
    else if (node.kind === 'DeleteQueryNode') table = node.from?.froms?.[0]?.table?.identifier?.name ?? '';
    const key = `${node.kind.replace('QueryNode', '').toLowerCase()} ${table}`.trim();
    this.#counts.set(key, (this.#counts.get(key) ?? 0) + 1);
    return args.node;
  }

  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(args.result);
  }

  reset(): void {
    this.#counts.clear();
  }

  counts(): Record<string, number> {
    return Object.fromEntries([...this.#counts].sort((a, b) => b[1] - a[1]));
  }
}
