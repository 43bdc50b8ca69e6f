import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { z } from 'zod';
import { plural } from '../domain/plural.ts';

/** The agent's config file (SPEC §8), validated whole so every mistake is named at once. */
const nonEmpty = z.string().trim().min(1, 'must not be empty');
const postgresUrl = z.string().regex(/^postgres(ql)?:\/\/\S+$/i, 'must be a postgres:// connection string');
const seconds = (fallback: number) =>
  z
    .number()
    .int('must be a whole number of seconds')
    .min(1, 'must be at least 1')
    .max(86_400, 'must be at most 86400')
    .default(fallback);

const source = z.discriminatedUnion('type', [
  z.object({ type: z.literal('postgres'), connectionString: postgresUrl }).strict(),
  z.object({ type: z.literal('ledes'), folder: nonEmpty }).strict(),
]);

/**
 * The MMS import's outcome folders (SPEC §5.1): both or neither. With them, the agent
 * tells the server whether the MMS took or refused each file; without them, a delivered
 * file counts as taken.
 */
const fileDrop = z
  .object({
    type: z.literal('file-drop'),
    folder: nonEmpty,
    processedFolder: nonEmpty.optional(),
    rejectedFolder: nonEmpty.optional(),
  })
  .strict()
  .superRefine(
    (sink, ctx) => {
      if (sink.processedFolder !== undefined && sink.rejectedFolder === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['rejectedFolder'],
          message: 'is required with processedFolder (give both answer folders, or neither)',
        });
      }
      if (sink.rejectedFolder !== undefined && sink.processedFolder === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['processedFolder'],
          message: 'is required with rejectedFolder (give both answer folders, or neither)',
        });
      }
      // Also when another setting of the sink is wrong, so every mistake is named at once.
    },
    { when: (payload) => typeof payload.value === 'object' && payload.value !== null },
  );

const sink = z.discriminatedUnion('type', [
  fileDrop,
  z.object({ type: z.literal('procedure'), connectionString: postgresUrl }).strict(),
]);

/** The loopback names: the only hosts the agent may reach over plain http. */
const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

function isSecureOrLocal(server: string): boolean {
  if (!/^http:/i.test(server)) return true;
  try {
    return LOOPBACK.test(new URL(server).hostname);
  } catch {
    return true; // not a URL at all: the pattern above names that mistake
  }
}

export const agentConfigSchema = z
  .object({
    server: z
      .string()
      .regex(/^https?:\/\/[^\s/]+(\/\S*)?$/i, 'must be an http:// or https:// URL')
      .refine(
        isSecureOrLocal,
        'must be https:// (the agent token travels with every request); http:// is for a server on this machine only',
      ),
    token: z
      .string()
      .regex(
        /^pb_agent_[A-Za-z0-9_-]{20,}$/,
        'must be an agent token (pb_agent_…) from `paybridge admin create-token --kind agent`',
      ),
    stateDir: nonEmpty,
    source: source.optional(),
    sink,
    syncSeconds: seconds(300),
    pollSeconds: seconds(60),
  })
  .strict();

export type AgentConfig = z.infer<typeof agentConfigSchema>;
export type SourceConfig = NonNullable<AgentConfig['source']>;
export type SinkConfig = AgentConfig['sink'];

export class AgentConfigError extends Error {
  readonly code = 'invalid_agent_config';
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: ${plural(problems.length, 'mistake')}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'AgentConfigError';
  }
}

function pathOf(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(the file)' : path.map(String).join('.');
}

/** Every issue, named by its field; an unknown key is named too, since it is usually a typo. */
function describeIssues(error: z.ZodError): string[] {
  return error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys')
      return issue.keys.map((key) => `${pathOf([...issue.path, key])}: is not a setting (a typo?)`);
    if (issue.code === 'invalid_union' && 'options' in issue && Array.isArray(issue.options)) {
      return [`${pathOf(issue.path)}: must be one of ${issue.options.map((o) => JSON.stringify(o)).join(', ')}`];
    }
    if (issue.code === 'invalid_type') {
      return [
        issue.message.endsWith('received undefined')
          ? `${pathOf(issue.path)}: is required`
          : `${pathOf(issue.path)}: must be a ${issue.expected}`,
      ];
    }
    return [`${pathOf(issue.path)}: ${issue.message}`];
  });
}

/** Validates a parsed config; folders are resolved against `baseDir` (the config file's folder). */
export function parseAgentConfig(raw: unknown, file: string, baseDir: string): AgentConfig {
  const parsed = agentConfigSchema.safeParse(raw);
  if (!parsed.success) throw new AgentConfigError(file, describeIssues(parsed.error));
  const config = parsed.data;
  const at = (folder: string) => resolve(baseDir, folder);
  const sink = config.sink.type === 'file-drop' ? resolveFileDrop(config.sink, at, file) : config.sink;
  return {
    ...config,
    server: config.server.replace(/\/+$/, ''),
    stateDir: at(config.stateDir),
    ...(config.source?.type === 'ledes' ? { source: { ...config.source, folder: at(config.source.folder) } } : {}),
    sink,
  };
}

export type FileDropConfig = Extract<SinkConfig, { type: 'file-drop' }>;

/**
 * The three folders resolved, and told apart: a delivered file sits in the drop folder
 * until the import moves it, so an answer folder that is the drop folder (or the other
 * answer folder) would read every delivery as the MMS's answer.
 */
function resolveFileDrop(sink: FileDropConfig, at: (folder: string) => string, file: string): FileDropConfig {
  const folder = at(sink.folder);
  if (sink.processedFolder === undefined || sink.rejectedFolder === undefined) return { ...sink, folder };
  const processedFolder = at(sink.processedFolder);
  const rejectedFolder = at(sink.rejectedFolder);
  const problems = [
    ...(processedFolder === folder ? ['sink.processedFolder: must not be the drop folder (sink.folder)'] : []),
    ...(rejectedFolder === folder ? ['sink.rejectedFolder: must not be the drop folder (sink.folder)'] : []),
    ...(processedFolder === rejectedFolder
      ? ['sink.rejectedFolder: must not be the same folder as sink.processedFolder']
      : []),
  ];
  if (problems.length > 0) throw new AgentConfigError(file, problems);
  return { ...sink, folder, processedFolder, rejectedFolder };
}

export async function loadAgentConfig(file: string): Promise<AgentConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new AgentConfigError(file, [`cannot be read: ${error instanceof Error ? error.message : String(error)}`]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new AgentConfigError(file, [`is not JSON: ${error instanceof Error ? error.message : String(error)}`]);
  }
  return parseAgentConfig(raw, file, resolve(file, '..'));
}
