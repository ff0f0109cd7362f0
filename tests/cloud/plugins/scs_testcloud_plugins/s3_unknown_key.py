"""Makes Swift's S3 API say InvalidAccessKeyId for an access key that does not exist.

In this Swift release, s3token turns every Keystone refusal into 401, and s3api turns every
401 into SignatureDoesNotMatch, so a client cannot tell an unknown key from a wrong
signature. S3 (and Ceph RGW, which most SCS providers use for S3) answers InvalidAccessKeyId
for an unknown key, and scs-0123-v1's test relies on that. This filter sits before s3api:
when the answer is SignatureDoesNotMatch, it asks Keystone whether the request's access key
exists (an EC2 credential's id is the SHA-256 of its access key) and, if not, rewrites the
error code. Nothing else changes.
"""
import hashlib
import re

from keystoneauth1 import loading, session

_CREDENTIAL = re.compile(r"Credential=([^/,\s]+)/")


def access_key_of(environ):
    header = environ.get("HTTP_AUTHORIZATION", "")
    if header.startswith("AWS "):
        return header[4:].split(":", 1)[0].strip()
    match = _CREDENTIAL.search(header)
    if match:
        return match.group(1)
    query = environ.get("QUERY_STRING", "")
    for part in query.split("&"):
        name, _, value = part.partition("=")
        if name == "AWSAccessKeyId":
            return value
        if name == "X-Amz-Credential":
            return value.split("%2F", 1)[0].split("/", 1)[0]
    return None


class UnknownKeyFilter:
    def __init__(self, app, conf):
        self.app = app
        auth = loading.get_plugin_loader("password").load_from_options(
            auth_url=conf["auth_url"], username=conf["username"], password=conf["password"],
            project_name=conf["project_name"], user_domain_name=conf.get("user_domain_name", "Default"),
            project_domain_name=conf.get("project_domain_name", "Default"))
        self.session = session.Session(auth=auth)
        self.identity = conf["auth_url"].rstrip("/") + "/v3"

    def key_exists(self, access):
        credential = hashlib.sha256(access.encode()).hexdigest()
        response = self.session.get(f"{self.identity}/credentials/{credential}", raise_exc=False)
        return response.status_code != 404

    def __call__(self, environ, start_response):
        captured = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers
            return lambda data: None

        body = b"".join(self.app(environ, capture))
        if b"<Code>SignatureDoesNotMatch</Code>" in body:
            access = access_key_of(environ)
            if access and not self.key_exists(access):
                body = body.replace(b"<Code>SignatureDoesNotMatch</Code>", b"<Code>InvalidAccessKeyId</Code>")
                body = re.sub(rb"<Message>.*?</Message>",
                              b"<Message>The AWS Access Key Id you provided does not exist in our records.</Message>",
                              body, count=1, flags=re.S)
                captured["headers"] = [(k, str(len(body)) if k.lower() == "content-length" else v)
                                       for k, v in captured["headers"]]
        start_response(captured["status"], captured["headers"])
        return [body]


def filter_factory(global_conf, **local_conf):
    conf = dict(global_conf, **local_conf)
    return lambda app: UnknownKeyFilter(app, conf)
