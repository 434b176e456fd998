/** session-processor Lambda entry point: the handler the stack deploys and the local runtime invokes. */
import { createHandler } from './create-handler';

export const handler = createHandler();
