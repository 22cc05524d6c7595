"""What model calls cost, in US dollars, from the price table genai-prices ships with.

genai-prices can refresh its table from the network; the library never asks it to, so cost
estimates work offline and the same tokens cost the same for one installed version. Hosted
models are priced by provider (``openai/``) or by their API's URL (any OpenAI-compatible
service the table knows); the embedded model costs nothing; a price the caller gives
(``Settings.price``) wins; anything else is unknown (None).
"""

from __future__ import annotations

from collections.abc import Callable

Pricing = Callable[[int, int], float | None]
"""US dollars for (input tokens, output tokens), or None when the model's price is not known."""


def unpriced(input_tokens: int, output_tokens: int) -> None:
    """A model whose price is not known: no estimate rather than a wrong one."""
    return None


def free(input_tokens: int, output_tokens: int) -> float:
    """The embedded model runs on this machine: no per-token price."""
    return 0.0


def fixed(per_million: tuple[float, float]) -> Pricing:
    """The caller's own price: US dollars per million (input, output) tokens."""
    input_price, output_price = per_million

    def price(input_tokens: int, output_tokens: int) -> float:
        return (input_tokens * input_price + output_tokens * output_price) / 1_000_000

    return price


def priced(model: str, *, provider: str | None = None, url: str | None = None) -> Pricing:
    """The price of ``model`` at a provider named by id (``openai``) or by its API's base URL."""

    def price(input_tokens: int, output_tokens: int) -> float | None:
        from genai_prices import Usage, calc_price  # half a second to import: only when a price is asked for

        usage = Usage(input_tokens=input_tokens, output_tokens=output_tokens)
        try:
            if provider is not None:
                return float(calc_price(usage, model, provider_id=provider).total_price)
            return float(calc_price(usage, model, provider_api_url=url).total_price)
        except LookupError:
            return None

    return price
