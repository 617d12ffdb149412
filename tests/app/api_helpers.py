"""What the API tests share: a cast member's token (made through the service the page calls)
and a client that sends it."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth import get_user_model
from django.test import Client

from tidtam.api.tokens import api_token_create


def token_for(username: str, scope: str = "write", days: int = 30) -> str:
    user = get_user_model().objects.get(username=username)
    return api_token_create(user=user, name=f"ทดสอบ {username}", scope=scope, days=days).secret


class Api:
    """The Django test client with a bearer token, speaking JSON."""

    def __init__(self, token: str | None) -> None:
        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"/api/v1{path}", params, **self.headers)

    def put(self, path: str, body: Any) -> Any:
        return self.client.put(
            f"/api/v1{path}", json.dumps(body), content_type="application/json", **self.headers
        )

    def post(self, path: str, body: Any) -> Any:
        return self.client.post(
            f"/api/v1{path}", json.dumps(body), content_type="application/json", **self.headers
        )


def as_(username: str, scope: str = "write") -> Api:
    return Api(token_for(username, scope))
