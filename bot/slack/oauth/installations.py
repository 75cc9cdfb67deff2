"""Each workspace's installation in the state database, its tokens encrypted at rest with
``CRIMEBOT_TOKEN_KEY`` (Fernet; several keys, comma-separated, newest first, for rotation), and
what is found kept in memory for ``CACHE_TTL`` seconds, so a request costs no database query."""

from __future__ import annotations

import copy
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from cryptography.fernet import InvalidToken, MultiFernet
from slack_sdk.oauth.installation_store import Bot, Installation, InstallationStore
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Engine

from bot.settings import Settings, token_cipher

log = logging.getLogger(__name__)
# Seconds a found installation is reused without asking the database. Only this process's
# own deletions clear it at once: after an uninstall handled by another worker, this one may
# try the revoked token for up to this long (Slack refuses it; nothing else is affected).
CACHE_TTL = 30.0
TOKEN_FIELDS = ("bot_token", "bot_refresh_token", "user_token", "user_refresh_token")


class EncryptedInstallationStore(InstallationStore):
    """slack_sdk's SQLAlchemy installation store, with tokens encrypted at rest and finds
    cached in memory for ``ttl`` seconds."""

    def __init__(
        self,
        store: SQLAlchemyInstallationStore,
        cipher: MultiFernet,
        ttl: float = CACHE_TTL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = store
        self.cipher = cipher
        self.ttl = ttl
        self.clock = clock
        self._cache: dict[tuple, tuple[float, Any]] = {}
        self._lock = threading.Lock()

    @property
    def logger(self) -> logging.Logger:
        return log

    # -- encryption -----------------------------------------------------------------------

    def _sealed(self, item: Any) -> Any:
        sealed = copy.copy(item)
        for name in TOKEN_FIELDS:
            value = getattr(sealed, name, None)
            if value:
                setattr(sealed, name, self.cipher.encrypt(value.encode()).decode())
        return sealed

    def _opened(self, item: Any) -> Any:
        if item is None:
            return None
        for name in TOKEN_FIELDS:
            value = getattr(item, name, None)
            if value:
                try:
                    setattr(item, name, self.cipher.decrypt(value.encode()).decode())
                except InvalidToken:
                    log.error(
                        "the stored tokens of workspace %s cannot be decrypted with "
                        "CRIMEBOT_TOKEN_KEY (was the key replaced rather than rotated?): "
                        "treating it as not installed",
                        item.team_id,
                    )
                    return None
        return item

    # -- the cache ------------------------------------------------------------------------

    def _cached(self, key: tuple, find: Callable[[], Any]) -> Any:
        now = self.clock()
        with self._lock:
            hit = self._cache.get(key)
        if hit is not None and now - hit[0] < self.ttl:
            return copy.copy(hit[1])
        found = self._opened(find())
        with self._lock:
            if found is None:  # a miss is not kept: a fresh install is seen at once
                self._cache.pop(key, None)
            else:
                self._cache[key] = (now, found)
        return copy.copy(found)

    def forget(self, enterprise_id: str | None, team_id: str | None) -> None:
        with self._lock:
            for key in [k for k in self._cache if k[1:3] == (enterprise_id, team_id)]:
                del self._cache[key]

    # -- InstallationStore ----------------------------------------------------------------

    def save(self, installation: Installation) -> None:
        self.store.save(self._sealed(installation))  # saves its bot too
        self.forget(installation.enterprise_id, installation.team_id)

    def save_bot(self, bot: Bot) -> None:
        self.store.save_bot(self._sealed(bot))
        self.forget(bot.enterprise_id, bot.team_id)

    def find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        return self._cached(
            ("bot", enterprise_id, team_id, bool(is_enterprise_install)),
            lambda: self.store.find_bot(
                enterprise_id=enterprise_id,
                team_id=team_id,
                is_enterprise_install=is_enterprise_install,
            ),
        )

    def find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        return self._cached(
            ("installation", enterprise_id, team_id, user_id, bool(is_enterprise_install)),
            lambda: self.store.find_installation(
                enterprise_id=enterprise_id,
                team_id=team_id,
                user_id=user_id,
                is_enterprise_install=is_enterprise_install,
            ),
        )

    def delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        self.store.delete_bot(enterprise_id=enterprise_id, team_id=team_id)
        self.forget(enterprise_id, team_id)

    def delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        self.store.delete_installation(
            enterprise_id=enterprise_id, team_id=team_id, user_id=user_id
        )
        self.forget(enterprise_id, team_id)

    def delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        self.store.delete_bot(enterprise_id=enterprise_id, team_id=team_id)
        self.store.delete_installation(enterprise_id=enterprise_id, team_id=team_id)
        self.forget(enterprise_id, team_id)

    def rotate(self) -> int:
        """Re-encrypt every stored token with the first key (after a new key was put first):
        the old keys can then be dropped. Returns how many rows were rewritten."""
        rewritten = 0
        with self.store.engine.begin() as connection:
            for table in (self.store.installations, self.store.bots):
                columns = [c for c in TOKEN_FIELDS if c in table.c]
                rows = connection.execute(
                    sa_select(table.c.id, *(table.c[c] for c in columns))
                ).mappings()
                for row in list(rows):
                    values = {
                        c: self.cipher.rotate(row[c].encode()).decode() for c in columns if row[c]
                    }
                    if values:
                        connection.execute(
                            table.update().where(table.c.id == row["id"]).values(**values)
                        )
                        rewritten += 1
        return rewritten


def installation_store(settings: Settings, engine: Engine) -> EncryptedInstallationStore:
    return EncryptedInstallationStore(
        SQLAlchemyInstallationStore(client_id=settings.SLACK_CLIENT_ID, engine=engine, logger=log),
        token_cipher(settings.CRIMEBOT_TOKEN_KEY),
    )
