import type { PathQuery } from './find-paths.js';
import type { Project } from './project.js';

/** The key of a path query's answer worked out ahead (Project.answerAhead): its fields in a fixed order. */
export const pathsKey = (q: PathQuery): string => `paths:${JSON.stringify(Object.entries(q).sort(([a], [b]) => (a < b ? -1 : 1)))}`;

/** The key of a tree query's answer worked out ahead: name, depth, direction and the filter's fields in a fixed order. */
export const treeKey = ([name, depth, direction, filter]: Parameters<Project['tree']>): string => `tree:${JSON.stringify([name, depth, direction, Object.entries(filter ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))])}`;
