import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import mysql from 'mysql2/promise';
import { startMariadbInstance, type MariadbInstance } from './mariadb-instance.js';

describe('a MariaDB instance of the test’s own', () => {
  let instance: MariadbInstance;
  after(async () => instance?.destroy());

  it('starts, answers, dies on kill and comes back', async () => {
    instance = await startMariadbInstance({ serverArgs: ['--max-allowed-packet=65536'] });
    const c = await mysql.createConnection({
      host: instance.host,
      port: instance.port,
      user: 'root',
    });
    const [rows] = await c.query<mysql.RowDataPacket[]>('SELECT @@max_allowed_packet AS p');
    assert.equal(Number(rows[0]!.p), 65536);
    await instance.kill();
    await assert.rejects(c.query('SELECT 1'));
    c.destroy();
    await instance.start();
    assert.ok((await instance.status('Uptime')) >= 0);
  });
});
