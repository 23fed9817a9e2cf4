import { configureLogging, routeLibraryOutput } from '../../src/logger';

// Quiet when green: the bot's logs and the libraries' console output (routed through the logger, as
// in production) are not printed. TEST_LOG_LEVEL=debug npm test shows everything.
routeLibraryOutput();
configureLogging(process.env.TEST_LOG_LEVEL ?? 'silent');
