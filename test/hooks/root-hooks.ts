import { closeLeakedResources } from '../support/resources.js';
import { startTestServices, type TestServices } from '../support/services.js';

let services: TestServices | undefined;

/**
 * Mocha root hooks: one Neo4j and one Redis for the whole run (started here when none answers,
 * stopped at the end), and a leak check after every test.
 */
export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(15 * 60_000);
    services = await startTestServices();
  },
  async afterEach(this: Mocha.Context) {
    const leaked = await closeLeakedResources();
    if (leaked.length > 0) {
      throw new Error(`the test "${this.currentTest?.fullTitle()}" leaked: ${leaked.join(', ')}`);
    }
  },
  async afterAll(this: Mocha.Context) {
    this.timeout(120_000);
    await services?.release();
  },
};
