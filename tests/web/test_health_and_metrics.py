"""`/healthz`, `/readyz` and `/metrics`: without sign-in, on the console's address or one of their own."""

from __future__ import annotations

from pathlib import Path

import aiohttp
from prometheus_client.parser import text_string_to_metric_families

from bot.health import State
from tests.support.core import FakeClock
from tests.support.database import postgres_database
from tests.support.tcp_proxy import TcpProxy
from tests.web.conftest import ANNA, Running, start_console

METRICS = {
    "lotse_questions": "counter",
    "lotse_answer_latency_seconds": "histogram",
    "lotse_outbox_depth": "gauge",
    "lotse_outbox_oldest_age_seconds": "gauge",
    "lotse_outbox_given_up": "gauge",
    "lotse_platform_sends": "counter",
    "lotse_platform_rate_limited": "counter",
    "lotse_adapter_state": "gauge",
}


async def get(url: str, cookie: str = "") -> tuple[int, str]:
    headers = {"Cookie": f"lotse_session={cookie}"} if cookie else {}
    async with aiohttp.ClientSession() as client, client.get(url, headers=headers) as response:
        return response.status, await response.text()


async def test_healthz_answers_while_the_process_lives(running: Running) -> None:
    assert await get(running.url + "/healthz") == (200, "ok\n")


async def test_ready_when_the_database_is_current_and_the_adapters_run(running: Running) -> None:
    status, text = await get(running.url + "/readyz")
    assert status == 200
    assert text.splitlines() == ["ready", "database: ok", "migrations: ok", "adapter console: ok"]


async def test_not_ready_while_an_adapter_is_not_running(running: Running) -> None:
    running.lotse.metrics.adapter_state("console", State.FAILED)
    status, text = await get(running.url + "/readyz")
    assert status == 503 and "adapter console: failed" in text


async def test_readyz_turns_unready_when_the_database_goes_away_and_ready_after(clock: FakeClock) -> None:
    async with postgres_database() as url:
        host_and_db = url.rpartition("@")[2]
        proxy = TcpProxy(host_and_db.split(":")[0], int(host_and_db.split(":")[1].split("/")[0]))
        await proxy.start()
        proxied = url.replace(host_and_db.split("/")[0], f"127.0.0.1:{proxy.port}")
        lotse, console = await start_console(proxied, clock)
        lotse.metrics.adapter_state("console", State.RUNNING)
        try:
            ready = f"http://127.0.0.1:{console.port}/readyz"
            assert (await get(ready))[0] == 200
            await proxy.cut()
            status, text = await get(ready, cookie="a-browser-signed-in-before")
            assert status == 503 and "database: unreachable" in text
            assert await get(ready.replace("/readyz", "/healthz")) == (200, "ok\n")
            await proxy.restore()
            assert (await get(ready))[0] == 200
        finally:
            await console.stop()
            await lotse.close()
            await proxy.cut()


async def test_metrics_have_their_documented_names_and_types(running: Running) -> None:
    await running.say(ANNA, "Wie mache ich ein PDF barrierefrei?")
    await running.say(ANNA, "Wie spät ist es auf dem Mars?")
    running.lotse.metrics.message_sent("telegram")
    running.lotse.metrics.rate_limited("telegram")
    status, text = await get(running.url + "/metrics")
    assert status == 200
    families = {family.name: family for family in text_string_to_metric_families(text)}
    assert {name: families[name].type for name in METRICS} == METRICS
    samples = {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
               for family in families.values() for sample in family.samples}
    assert samples[("lotse_questions_total", (("outcome", "answer"),))] == 1
    assert samples[("lotse_questions_total", (("outcome", "unknown"),))] == 1
    assert samples[("lotse_answer_latency_seconds_count", ())] == 2
    assert samples[("lotse_platform_sends_total", (("platform", "telegram"),))] == 1
    assert samples[("lotse_platform_rate_limited_total", (("platform", "telegram"),))] == 1
    assert samples[("lotse_adapter_state", (("lotse_adapter_state", "running"), ("platform", "console")))] == 1


async def test_the_outbox_figures_are_read_when_scraped(running: Running) -> None:
    await running.say(ANNA, "Wie spät ist es auf dem Mars?")
    [group] = await running.lotse.curation.queue.open_groups()
    await running.lotse.curation.queue.dismiss(group.id, "test", "console:admin")
    from bot.messages import ChatId, Reply
    from bot.outbox import enqueue

    async with running.lotse.database.transaction() as session:
        await enqueue(session, "test:1", ChatId(ANNA), Reply("Hallo"), running.clock())
    running.clock.advance(seconds=90)
    _, text = await get(running.url + "/metrics")
    values = {sample.name: sample.value for family in text_string_to_metric_families(text)
              for sample in family.samples}
    assert values["lotse_outbox_depth"] == 1 and values["lotse_outbox_oldest_age_seconds"] == 90


async def test_health_and_metrics_can_listen_on_an_address_of_their_own(tmp_path: Path, clock: FakeClock) -> None:
    lotse, console = await start_console(f"sqlite+aiosqlite:///{tmp_path / 'lotse.db'}", clock,
                                         web={"enabled": True, "port": 0, "metrics_listen": "127.0.0.1:0"})
    try:
        assert console.metrics_port not in (None, console.port)
        separate = f"http://127.0.0.1:{console.metrics_port}"
        assert (await get(separate + "/healthz"))[0] == 200
        assert (await get(separate + "/metrics"))[0] == 200
        assert (await get(separate + "/kb"))[0] == 404
    finally:
        await console.stop()
        await lotse.close()
