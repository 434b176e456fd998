/** firehose-transform Lambda entry point: the handler the stack deploys and the local Firehose model invokes. */
import { createHandler } from './create-handler';

export const handler = createHandler();
