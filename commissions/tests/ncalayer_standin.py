"""A stand-in for NCALayer: a WebSocket server speaking its JSON protocol and signing with the test CA's keys.

Like the real NCALayer it greets with its version, answers `kz.gov.pki.knca.basics` / `sign` with
`{"status": true, "body": {"result": [<base64 CMS>]}}`, an empty body when the person closes the window (here: no
key chosen), and `{"status": false, "code": "500", "message": ...}` for what it does not know. The test chooses
the key "the person picks in NCALayer" by setting `key` (commissions.papers.testca.Issued).
"""

import asyncio
import base64
import json
import threading

from websockets.asyncio.server import serve

from commissions.papers.testca import Issued, async_cms_sign


class NCALayerStandIn:
    def __init__(self):
        self.key: Issued | None = None
        self.requests: list[dict] = []
        self.url = ""
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._stop: asyncio.Future | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the NCALayer stand-in did not start")
        return self

    def __exit__(self, *exc):
        self._loop.call_soon_threadsafe(self._stop.set_result, None)
        self._thread.join(10)

    def _run(self):
        asyncio.set_event_loop(self._loop)
        self._loop.run_until_complete(self._serve())

    async def _serve(self):
        self._stop = self._loop.create_future()
        async with serve(self._handle, "127.0.0.1", 0, max_size=64 * 1024 * 1024) as server:
            port = next(iter(server.sockets)).getsockname()[1]
            self.url = f"ws://127.0.0.1:{port}/"
            self._ready.set()
            await self._stop

    async def _handle(self, connection):
        await connection.send(json.dumps({"result": {"version": "1.4-standin"}}))
        async for raw in connection:
            request = json.loads(raw)
            self.requests.append(request)
            await connection.send(json.dumps(await self._answer(request)))

    async def _answer(self, request: dict) -> dict:
        if request.get("module") != "kz.gov.pki.knca.basics" or request.get("method") != "sign":
            return {"status": False, "code": "500", "message": "module.method.not.found"}
        args = request.get("args") or {}
        if args.get("format") != "cms":
            return {"status": False, "code": "500", "message": "format.not.supported"}
        if self.key is None:
            return {"status": True, "body": {}}  # the person closed NCALayer's window
        params = args.get("signingParams") or {}
        data = args.get("data", "")
        payload = base64.b64decode(data) if params.get("decode") else data.encode()
        cms = await async_cms_sign(payload, self.key)
        return {"status": True, "body": {"result": [base64.b64encode(cms).decode()]}}
