/**
 * The one door to @peculiar/x509 for the certificate code. Its dependency
 * injection container (tsyringe) needs the Reflect metadata polyfill loaded
 * first (import order is evaluation order). Node's WebCrypto is passed to each
 * call rather than set with `x509.cryptoProvider.set()`, so no process-wide
 * state changes.
 */
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';

export * as x509 from '@peculiar/x509';

export const x509Crypto = webcrypto;
