import { startPayfipSimulator } from './simulator.ts';

/**
 * The PayFiP simulator alone (`npm run payfip-simulator`): for a portal started elsewhere with
 * PAYFIP_URL=http://localhost:4000/tpa/services/securite and PAYFIP_PAYMENT_URL=http://localhost:4000/tpa/paiementws.web.
 */
const port = Number(process.env.PAYFIP_SIMULATOR_PORT ?? 4000);
const numcli = process.env.PAYFIP_NUMCLI ?? '090909';
const sim = await startPayfipSimulator({ port, host: process.env.HOST ?? '127.0.0.1', numcli });
console.log(`Simulateur PayFiP prêt sur ${sim.url} (NUMCLI ${numcli}) : service ${sim.soapUrl}, page ${sim.paymentPageUrl}`);
const stop = () => void sim.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
