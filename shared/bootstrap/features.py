"""`Features`: one lazily built, typed property per feature. A property builds its feature
from the platform's ports and from the other features it needs, passed as arguments; the
assembly of each feature (which adapter, which settings) lives in `shared/bootstrap/` beside
it, never in the feature itself, so domain code imports no adapter."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

from shared.platform import Platform

if TYPE_CHECKING:
    from shared.accounts.feature import Accounts
    from shared.agents.feature import Agents
    from shared.email.feature import EmailFeature
    from shared.events.outbox import Outbox
    from shared.governance.service import Governance
    from shared.knowledge.service import KnowledgeGraph
    from shared.ledger.payments.service import Payments
    from shared.ledger.service import Ledger
    from shared.ports.audience import AccountAudience
    from shared.ports.directory import AccountDirectory, RecipientLookup
    from shared.ports.limits import RateLimiter
    from shared.ports.locks import LockRegister
    from shared.ports.paid_work import PaidWork
    from shared.ports.stack_advice import StackAdvisor
    from shared.ports.token_book import TokenBook
    from shared.ports.treasury import Treasury
    from shared.simulation.impact_preview import ImpactDesk
    from shared.simulation.store import SimulationStore
    from shared.venture.feature import Venture

T = TypeVar("T")


class feature(Generic[T]):
    """A property built once per `Features` (thread-safe: concurrent first uses build one)."""

    def __init__(self, build: Callable[[Features], T]) -> None:
        self._build = build
        self._name = build.__name__
        self.__doc__ = build.__doc__

    @overload
    def __get__(self, instance: None, owner: type[Any]) -> feature[T]: ...

    @overload
    def __get__(self, instance: Features, owner: type[Any]) -> T: ...

    def __get__(self, instance: Features | None, owner: type[Any]) -> T | feature[T]:
        if instance is None:
            return self
        built = instance._built
        if self._name not in built:
            with instance._lock:
                if self._name not in built:
                    built[self._name] = self._build(instance)
        value: T = built[self._name]
        return value


class Features:
    """Every feature of one process, built on first use from `platform`."""

    def __init__(self, platform: Platform) -> None:
        self.platform = platform
        self._built: dict[str, Any] = {}
        self._lock = threading.RLock()  # a feature's build may build the ones it needs

    def provide(self, **built: Any) -> None:
        """Use these instead of building them (tests and stand-ins), e.g.
        `features.provide(stack_advisor=UnavailableStackAdvisor())`."""
        unknown = [
            name for name in built if not isinstance(getattr(type(self), name, None), feature)
        ]
        if unknown:
            raise AttributeError(f"no feature named {', '.join(unknown)}")
        with self._lock:
            self._built.update(built)

    @feature
    def outbox(self) -> Outbox:
        """Events staged in SQL transactions (accounts, governance) and the relay's source."""
        from shared.bootstrap.outbox import build_outbox

        return build_outbox(self)

    @feature
    def accounts(self) -> Accounts:
        from shared.bootstrap.accounts import build_accounts

        return build_accounts(self)

    @feature
    def directory(self) -> AccountDirectory:
        """Accounts as other features may see them."""
        return self.accounts.service

    @feature
    def recipients(self) -> RecipientLookup:
        """Which account a sender means by an address, a handle or an id."""
        return self.accounts.service

    @feature
    def rate_limiter(self) -> RateLimiter:
        """Request and attempt counters (in process, or Redis shared by every instance)."""
        from shared.bootstrap.accounts import build_rate_limiter

        return build_rate_limiter(self.platform)

    @feature
    def audience(self) -> AccountAudience:
        """Every account, page by page (the audience of bulk email)."""
        return self.accounts.service

    @feature
    def ledger(self) -> Ledger:
        from shared.bootstrap.ledger import build_ledger

        return build_ledger(self)

    @feature
    def paid_work(self) -> PaidWork:
        """What simulations and venture reports charge and refund through (the ledger)."""
        from shared.bootstrap.ledger import build_paid_work

        return build_paid_work(self)

    @feature
    def payments(self) -> Payments:
        from shared.bootstrap.payments import build_payments

        return build_payments(self)

    @feature
    def governance(self) -> Governance:
        from shared.bootstrap.governance import build_governance

        return build_governance(self)

    @feature
    def agents(self) -> Agents:
        from shared.bootstrap.agents import build_agents

        return build_agents(self)

    @feature
    def token_book(self) -> TokenBook:
        """The ledger as governance sees it (balances, supply, conviction locks)."""
        from shared.ledger.token_book import LedgerTokenBook

        return LedgerTokenBook(self.ledger)

    @feature
    def lock_register(self) -> LockRegister:
        """Governance's conviction locks as the wallet shows them."""
        from shared.governance.locks import ConvictionLocks

        return ConvictionLocks(self.governance.store)

    @feature
    def treasury(self) -> Treasury:
        """The ledger's treasury as the features that pay from it see it."""
        from shared.ledger.treasury import LedgerTreasury

        return LedgerTreasury(self.ledger)

    @feature
    def email(self) -> EmailFeature:
        from shared.bootstrap.email import build_email

        return build_email(self)

    @feature
    def knowledge(self) -> KnowledgeGraph:
        """This process's knowledge graph and its registries."""
        from shared.knowledge.service import KnowledgeGraph

        platform = self.platform
        return KnowledgeGraph(platform.documents, platform.events, platform.clock)

    @feature
    def stack_advisor(self) -> StackAdvisor:
        """The venture blueprint's advisor: the knowledge graph of this process."""
        from shared.knowledge.advisor import GraphStackAdvisor

        graph, clock = self.knowledge, self.platform.clock
        return GraphStackAdvisor(graph.current, lambda: clock.now().date())

    @feature
    def venture(self) -> Venture:
        from shared.bootstrap.venture import build_venture

        return build_venture(self)

    @feature
    def simulations(self) -> SimulationStore:
        """Where simulations live: one SQL row each, with their monthly metrics."""
        from shared.bootstrap.simulation import build_simulations

        return build_simulations(self)

    @feature
    def impact_previews(self) -> ImpactDesk:
        """Impact previews of governance proposals (governance's `ImpactPreviews`)."""
        from shared.bootstrap.simulation import build_impact_previews

        return build_impact_previews(self)
