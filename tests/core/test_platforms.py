"""Platform facts come from what each adapter declares, not from the core knowing platforms by name."""

from bot.composition import known_platforms
from bot.messages import PLAIN_CAPABILITIES


def test_each_adapter_declares_its_message_length_and_buttons() -> None:
    platforms = known_platforms()
    assert platforms.of("telegram:1").max_message_length == 4096
    assert platforms.of("telegram:1").buttons
    assert platforms.of("matrix:@anna:example.org").max_message_length > 4096
    assert not platforms.of("matrix:@anna:example.org").buttons
    assert platforms.of("matrix:@anna:example.org").reactions


def test_a_person_is_linked_the_way_their_platform_declares() -> None:
    platforms = known_platforms()
    assert platforms.link("matrix:@anna:example.org") == "[@anna:example.org](https://matrix.to/#/@anna:example.org)"
    assert platforms.link("telegram:42") == "[tg://user?id=42](tg://user?id=42)"
    assert platforms.link("console:anna") is None


def test_an_id_of_an_unknown_platform_is_neither_known_nor_given_capabilities() -> None:
    platforms = known_platforms()
    assert platforms.knows("console:anna")
    assert not platforms.knows("irc:anna")
    assert not platforms.knows("telegram:")
    assert platforms.of("irc:anna") == PLAIN_CAPABILITIES


def test_reading_capabilities_loads_no_platform_library() -> None:
    import subprocess
    import sys

    probe = ("import sys; from bot.composition import known_platforms; known_platforms(); "
             "print(sorted(m for m in ('telegram', 'nio') if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"
