/**
 * Loaded (`node --import`) into the processes `npm start` spawns, so they end when it ends — even
 * when it is killed with -9 and cannot stop them: the IPC channel to the parent closes with it.
 * Otherwise the orphaned site keeps its port and the next start fails.
 */
if (process.send) process.on('disconnect', () => process.exit(0));
