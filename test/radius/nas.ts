/**
 * A NAS for tests: listens for CoA and Disconnect-Requests on 127.0.0.1, checks them as a router
 * would (Request Authenticator and Message-Authenticator with the shared secret) and answers ACK,
 * NAK with an Error-Cause, or nothing, as the test asks.
 */
import dgram from 'node:dgram';
import { Code, checkMessageAuthenticator, decode, encodeResponse, verifySignedRequest, type Packet } from '../../electron/server/network/radius/codec';

export type NasBehaviour = 'ack' | 'nak' | 'silent';

export interface TestNas {
  port: number;
  /** Requests that verified, in order of arrival. */
  received: Packet[];
  /** Requests that failed verification (wrong secret or Message-Authenticator). */
  refused: number;
  behaviour: NasBehaviour;
  close(): Promise<void>;
}

export async function startTestNas(secret: string, behaviour: NasBehaviour = 'ack'): Promise<TestNas> {
  const socket = dgram.createSocket('udp4');
  const nas: TestNas = {
    port: 0,
    received: [],
    refused: 0,
    behaviour,
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
  socket.on('message', (msg, rinfo) => {
    const d = decode(msg);
    if (!d.ok || (d.packet.code !== Code.CoaRequest && d.packet.code !== Code.DisconnectRequest)) return;
    if (!verifySignedRequest(d.packet.raw, secret) || checkMessageAuthenticator(d.packet.raw, secret, Buffer.alloc(16)) !== 'valid') {
      nas.refused++;
      return;
    }
    nas.received.push(d.packet);
    if (nas.behaviour === 'silent') return;
    const coa = d.packet.code === Code.CoaRequest;
    const code = nas.behaviour === 'ack' ? (coa ? Code.CoaAck : Code.DisconnectAck) : coa ? Code.CoaNak : Code.DisconnectNak;
    socket.send(encodeResponse(code, d.packet.identifier, d.packet.authenticator, nas.behaviour === 'nak' ? [['Error-Cause', 503]] : [], secret), rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  nas.port = socket.address().port;
  return nas;
}
