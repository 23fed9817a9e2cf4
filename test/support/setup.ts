import { configureLogging } from '../../src/logger';

// Test output should show failures, not every info line the bot logs while tests drive it.
// TEST_LOG_LEVEL=debug npm test shows everything.
configureLogging(process.env.TEST_LOG_LEVEL ?? 'error');
