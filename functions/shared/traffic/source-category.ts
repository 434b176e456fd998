/** Google's source categories (the rules' "list of search / shopping / social / video sites"), looked up exactly. */
import { SOURCE_CATEGORY_LISTS } from './source-categories.generated';

export type SourceCategory = keyof typeof SOURCE_CATEGORY_LISTS;

/** One map of the 819 sources, built once at load (the bundled classifier, map included, loads in about 1 ms). */
const CATEGORY_OF = new Map<string, SourceCategory>();
for (const category of Object.keys(SOURCE_CATEGORY_LISTS) as SourceCategory[]) {
  for (const line of SOURCE_CATEGORY_LISTS[category]) {
    for (const source of line.split(',')) CATEGORY_OF.set(source, category);
  }
}

/** The category Google's list gives a source (lower case, compared exactly), or undefined when it is not listed. */
export function sourceCategory(source: string): SourceCategory | undefined {
  return CATEGORY_OF.get(source);
}
