/** The props of ClickstreamPipeline are documented, each with the `@default` that the settings declare. */
import { join } from 'node:path';
import ts from 'typescript';
import { DEFAULT_CONFIG } from '../../stacks/config';

const root = join(__dirname, '../..');

/** Each prop of ClickstreamPipelineProps with its documentation and `@default` tag, as an editor shows them. */
function documentedProps(): Map<string, { doc: string; default: string | undefined }> {
  const file = join(root, 'stacks/clickstream-pipeline.ts');
  const program = ts.createProgram([file], {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    module: ts.ModuleKind.Preserve,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    target: ts.ScriptTarget.ES2022,
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file)!;
  const alias = source.statements.find(
    (s): s is ts.TypeAliasDeclaration => ts.isTypeAliasDeclaration(s) && s.name.text === 'ClickstreamPipelineProps',
  )!;
  const props = new Map<string, { doc: string; default: string | undefined }>();
  for (const symbol of checker.getTypeAtLocation(alias.name).getProperties()) {
    const tag = symbol.getJsDocTags(checker).find((t) => t.name === 'default');
    props.set(symbol.name, {
      doc: ts.displayPartsToString(symbol.getDocumentationComment(checker)),
      default: tag ? ts.displayPartsToString(tag.text) : undefined,
    });
  }
  return props;
}

describe('the props of ClickstreamPipeline', () => {
  const props = documentedProps();

  it('are every setting, each documented', () => {
    expect([...props.keys()].sort()).toEqual(Object.keys(DEFAULT_CONFIG).sort());
    for (const [name, { doc }] of props) expect([name, doc.length > 10]).toEqual([name, true]);
  });

  it('each say the default the setting declares', () => {
    for (const [name, { default: documented }] of props) {
      const declared: unknown = DEFAULT_CONFIG[name as keyof typeof DEFAULT_CONFIG];
      if (declared === undefined) expect([name, documented]).toEqual([name, expect.stringMatching(/^undefined \(.+\)$/)]);
      else expect([name, documented]).toEqual([name, typeof declared === 'string' ? `'${declared}'` : JSON.stringify(declared)]);
    }
  });
});
