import { startFreeradius, radclientAuth } from './freeradius';
const t0 = Date.now();
const fr = await startFreeradius({ clients: [{ address: '127.0.0.1', secret: 'testing123' }], users: 'alice Cleartext-Password := "pw"\n\tFramed-IP-Address = 10.0.0.5,\n\tMikrotik-Rate-Limit = "1M/2M"\n' });
console.log('ready', Date.now() - t0);
console.log(radclientAuth(fr, 'testing123', { 'User-Name': 'alice', 'User-Password': 'pw' }));
console.log(radclientAuth(fr, 'testing123', { 'User-Name': 'alice', 'User-Password': 'bad' }).code);
await fr.stop();
