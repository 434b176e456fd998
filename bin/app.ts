/** The CDK app that `npx cdk deploy` runs (see stacks/build-app.ts). */
import { App } from 'aws-cdk-lib';
import { buildApp } from '../stacks/build-app';

const app = new App();
buildApp(app);
app.synth();
