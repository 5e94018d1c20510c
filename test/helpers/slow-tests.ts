// The e2e tier trains networks and runs the CLI: its tests get two minutes each (the unit tier keeps jest.config.js's 15 s).
jest.setTimeout(120000);
