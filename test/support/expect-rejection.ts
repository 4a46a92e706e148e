import { expect } from 'chai';

/** Awaits a promise that must reject with the given error type, and returns the error. */
export async function expectRejection(promise: Promise<unknown>, type: new (...args: never[]) => Error): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(type);
    return error as Error;
  }
  expect.fail(`expected a ${type.name}`);
}
