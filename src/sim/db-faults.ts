import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';

/**
 * The database's connection going away for a few queries, as the server sees it: while
 * `failing` is above 0 each query fails as PostgreSQL's connections do when an
 * administrator ends them (57P01), and a transaction in progress is rolled back. The
 * database itself stopping and starting again is restartable-db.ts.
 */
export class DbFaults implements KyselyPlugin {
  failing = 0;

  transformQuery({ node }: PluginTransformQueryArgs): RootOperationNode {
    if (this.failing > 0) {
      this.failing -= 1;
      throw Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
    }
    return node;
  }

  async transformResult({ result }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return result;
  }
}
