import { readSheetOffThread } from '../../electron/server/io/io-thread';

/**
 * A script that reads a CSV in the spreadsheet worker and then has nothing left to do: it must print
 * the rows it read (the worker kept it alive while reading) and exit at once (an idle worker does not
 * keep it alive).
 */
const bytes = Buffer.from(['Name,Login', ...Array.from({ length: 600 }, (_, i) => `Customer ${i},login${i}`)].join('\n'));
let rows = 0;
for await (const _row of readSheetOffThread('customers.csv', bytes).rows) rows++;
console.log(JSON.stringify({ rows }));
