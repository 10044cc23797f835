// SPDX-License-Identifier: GPL-3.0-or-later
#include "actionroutes.h"

#include "core/activator.h"
#include "core/apierror.h"
#include "core/enginelimits.h"
#include "core/ids.h"
#include "core/keyvalues.h"
#include "core/resolver.h"
#include "invoker/invoker.h"
#include "routesupport.h"
#include "store/entitystore.h"

#include <QJsonArray>
#include <QPointer>
#include <QRegularExpression>
#include <QTimer>

namespace Feedscope::Engine {

using namespace RouteSupport;

namespace {

const QStringList knownKinds{QStringLiteral("nodejs:20"),
                             QStringLiteral("nodejs:default"),
                             QStringLiteral("python:3"),
                             QStringLiteral("python:default"),
                             QStringLiteral("blackbox"),
                             QStringLiteral("sequence")};

QString canonicalKind(const QString &kind)
{
    if (kind == u"nodejs:default")
        return QStringLiteral("nodejs:20");
    if (kind == u"python:default")
        return QStringLiteral("python:3");
    return kind;
}

ApiError malformed(const QString &detail)
{
    return ApiError{400, QStringLiteral("The request content was malformed:\n") + detail};
}

// The controller's test for base64 code: non-empty, a multiple of 4 long, base64 alphabet only.
bool looksLikeBase64(const QString &code)
{
    static const QRegularExpression base64(QStringLiteral("^[A-Za-z0-9+/]+={0,2}$"));
    const QString trimmed = code.trimmed();
    return !trimmed.isEmpty() && trimmed.size() % 4 == 0 && base64.match(trimmed).hasMatch();
}

} // namespace

QJsonObject actionSummary(const QJsonObject &doc)
{
    const QJsonObject exec = doc.value(QLatin1String("exec")).toObject();
    return QJsonObject{
        {QStringLiteral("namespace"), doc.value(QLatin1String("namespace"))},
        {QStringLiteral("name"), doc.value(QLatin1String("name"))},
        {QStringLiteral("version"), doc.value(QLatin1String("version"))},
        {QStringLiteral("publish"), doc.value(QLatin1String("publish"))},
        {QStringLiteral("annotations"), doc.value(QLatin1String("annotations"))},
        {QStringLiteral("limits"), doc.value(QLatin1String("limits"))},
        {QStringLiteral("exec"),
         QJsonObject{{QStringLiteral("binary"), exec.value(QLatin1String("binary")).toBool()}}},
        {QStringLiteral("updated"), doc.value(QLatin1String("updated"))},
    };
}

ActionRoutes::ActionRoutes(Services &services)
    : m_s(services)
{}

void ActionRoutes::handle(const ApiCallPtr &call)
{
    const QStringList &rest = call->rest;
    if (isCollectionRoot(rest)) {
        requireMethod(*call, {"GET"});
        list(call, {});
        return;
    }
    if (rest.size() == 2 && rest[1].isEmpty()) { // ".../actions/{pkg}/" lists a package
        requireMethod(*call, {"GET"});
        list(call, entityName(rest[0]));
        return;
    }
    if (rest.size() > 2)
        throw ApiError{404, QStringLiteral("The requested resource could not be found.")};
    const QString package = rest.size() == 2 ? entityName(rest[0]) : QString();
    const QString name = entityName(rest.last());
    const QString docId = QualifiedName{call->ns, package, name}.relative();

    requireMethod(*call, {"PUT", "GET", "DELETE", "POST"});
    if (call->method() == "GET")
        get(call, docId);
    else if (call->method() == "PUT")
        put(call, package, name);
    else if (call->method() == "DELETE")
        remove(call, docId);
    else
        invoke(call, package, name);
}

void ActionRoutes::list(const ApiCallPtr &call, const QString &package)
{
    const ListParams params = listParams(*call, QStringLiteral("actions"));
    const auto summarize = [](const Entity &e) {
        return actionSummary(e.doc);
    };
    if (package.isEmpty()) {
        requireOwner(*call, call->ns);
        // The namespace's list includes actions inside its packages, like the controller's view.
        respondEntities(*call,
                        QStringLiteral("actions"),
                        m_s.entities.listUnder(Collection::Actions, call->ns),
                        params,
                        summarize);
    } else {
        const Entity &pkg = m_s.resolver.readable(
            call->identity, Collection::Packages, call->ns + u'/' + package);
        QString path = pkg.docId;
        const QJsonObject binding = pkg.doc.value(QLatin1String("binding")).toObject();
        if (!binding.isEmpty()) {
            path = binding.value(QLatin1String("namespace")).toString() + u'/'
                   + binding.value(QLatin1String("name")).toString();
        }
        respondEntities(*call,
                        QStringLiteral("actions"),
                        m_s.entities.list(Collection::Actions, path),
                        params,
                        summarize);
    }
}

void ActionRoutes::get(const ApiCallPtr &call, const QString &docId)
{
    QJsonObject doc;
    const auto name = QualifiedName::parse(u'/' + docId);
    if (name && !name->package.isEmpty()) {
        // Like the controller, a packaged action is shown with its effective parameters
        // (package < binding < action), and through a binding as the target's action.
        const ResolvedAction resolved = m_s.resolver.resolveAction(call->identity, *name);
        doc = resolved.action->doc;
        doc.insert(QStringLiteral("parameters"), resolved.params);
    } else {
        doc = m_s.resolver.readable(call->identity, Collection::Actions, docId).doc;
    }
    if (call->query(QStringLiteral("code")).value_or(QString()) == u"false") {
        QJsonObject exec = doc.value(QLatin1String("exec")).toObject();
        exec.remove(QStringLiteral("code"));
        doc.insert(QStringLiteral("exec"), exec);
    }
    call->respond(200, doc);
}

void ActionRoutes::requireWritablePackage(const ApiCall &call, const QString &package) const
{
    const Entity *pkg = m_s.entities.find(call.ns + u'/' + package);
    if (!pkg || pkg->collection != Collection::Packages)
        throw ApiError{404, Messages::notFound};
    if (!pkg->doc.value(QLatin1String("binding")).toObject().isEmpty())
        throw ApiError{400, Messages::bindingOperation};
}

QJsonObject ActionRoutes::validatedExec(const QJsonObject &body,
                                        const QString &selfId,
                                        const Entity *existing) const
{
    const QJsonValue execValue = body.value(QStringLiteral("exec"));
    if (execValue.isUndefined() || execValue.isNull()) {
        if (existing)
            return existing->doc.value(QLatin1String("exec")).toObject();
        throw ApiError{400, QStringLiteral("exec undefined")};
    }
    if (!execValue.isObject())
        throw malformed(QStringLiteral("exec malformed"));
    const QJsonObject exec = execValue.toObject();
    const QJsonValue kindValue = exec.value(QStringLiteral("kind"));
    if (!kindValue.isString())
        throw malformed(QStringLiteral("'kind' must be a string defined in 'exec'"));
    const QString requestedKind = kindValue.toString();
    if (!knownKinds.contains(requestedKind)) {
        throw malformed(QStringLiteral("kind '%1' not in Set(%2)")
                            .arg(requestedKind, knownKinds.join(QStringLiteral(", "))));
    }
    const QString kind = canonicalKind(requestedKind);
    if (const auto reason = m_s.invoker.unavailableReason(kind))
        throw ApiError{400, *reason};

    if (kind == u"sequence") {
        const QJsonValue components = exec.value(QStringLiteral("components"));
        if (components.isUndefined())
            throw malformed(QStringLiteral("'components' must be defined for sequence kind"));
        if (!components.isArray())
            throw malformed(QStringLiteral("'components' must be an array"));
        const QJsonArray list = components.toArray();
        if (list.isEmpty())
            throw ApiError{400, QStringLiteral("No component specified for the sequence.")};
        if (list.size() > m_s.limits.sequenceMaxLength)
            throw ApiError{400, QStringLiteral("Too many actions in the sequence.")};
        QJsonArray normalized;
        for (const QJsonValue &component : list) {
            const auto name
                = QualifiedName::parse(component.toString(), selfId.section(u'/', 0, 0));
            if (!component.isString() || !name)
                throw malformed(QStringLiteral("fully qualified name malformed"));
            QualifiedName resolvedName = *name;
            if (resolvedName.ns == DefaultNamespace)
                resolvedName.ns = selfId.section(u'/', 0, 0);
            if (resolvedName.relative() == selfId)
                throw ApiError{400, QStringLiteral("Sequence may not refer to itself.")};
            const Entity *target = m_s.entities.find(resolvedName.relative());
            if (!target || target->collection != Collection::Actions) {
                // A component may be reached through a binding; accept it if the binding's
                // target package holds the action.
                bool viaBinding = false;
                if (!resolvedName.package.isEmpty()) {
                    const Entity *pkg
                        = m_s.entities.find(resolvedName.ns + u'/' + resolvedName.package);
                    const QJsonObject binding
                        = pkg ? pkg->doc.value(QLatin1String("binding")).toObject() : QJsonObject();
                    if (!binding.isEmpty()) {
                        const Entity *real = m_s.entities.find(
                            binding.value(QLatin1String("namespace")).toString() + u'/'
                            + binding.value(QLatin1String("name")).toString() + u'/'
                            + resolvedName.name);
                        viaBinding = real && real->collection == Collection::Actions;
                    }
                }
                if (!viaBinding)
                    throw ApiError{400, QStringLiteral("Sequence component does not exist.")};
            }
            normalized.append(resolvedName.toString());
        }
        return QJsonObject{{QStringLiteral("kind"), kind},
                           {QStringLiteral("components"), normalized}};
    }

    QJsonObject result{{QStringLiteral("kind"), kind}};
    const QJsonValue code = exec.value(QStringLiteral("code"));
    if (kind == u"blackbox") {
        const QJsonValue image = exec.value(QStringLiteral("image"));
        if (!image.isString())
            throw malformed(QStringLiteral("'image' must be a string defined in 'exec' for "
                                           "'blackbox' actions"));
        result.insert(QStringLiteral("image"), image);
        if (code.isString())
            result.insert(QStringLiteral("code"), code);
    } else {
        if (!code.isString()) {
            throw malformed(QStringLiteral("'code' must be a string defined in 'exec' for '%1' "
                                           "actions")
                                .arg(kind));
        }
        result.insert(QStringLiteral("code"), code);
    }
    const QJsonValue main = exec.value(QStringLiteral("main"));
    if (!main.isUndefined() && !main.isNull()) {
        if (!main.isString()) {
            throw malformed(QStringLiteral("if defined, 'main' be a string in 'exec' for '%1' "
                                           "actions")
                                .arg(kind));
        }
        result.insert(QStringLiteral("main"), main);
    }
    const QJsonValue binary = exec.value(QStringLiteral("binary"));
    result.insert(QStringLiteral("binary"),
                  binary.isBool() ? binary.toBool() : looksLikeBase64(code.toString()));
    const qint64 codeSize = code.toString().toUtf8().size();
    if (codeSize > m_s.limits.maxCodeBytes) {
        throw ApiError{413,
                       QStringLiteral("exec larger than allowed: %1 > %2 bytes.")
                           .arg(codeSize)
                           .arg(m_s.limits.maxCodeBytes)};
    }
    return result;
}

QJsonObject ActionRoutes::validatedLimits(const QJsonObject &body, const Entity *existing) const
{
    QJsonObject limits = existing ? existing->doc.value(QLatin1String("limits")).toObject()
                                  : m_s.limits.defaultActionLimits();
    const QJsonValue value = body.value(QStringLiteral("limits"));
    if (value.isUndefined() || value.isNull())
        return limits;
    if (!value.isObject())
        throw malformed(QStringLiteral("limits malformed"));
    const QJsonObject given = value.toObject();
    struct Range
    {
        const char *field;
        int min;
        int max;
        const char *what;
    };
    const Range ranges[] = {
        {"timeout", m_s.limits.minTimeoutMs, m_s.limits.maxTimeoutMs, "milliseconds"},
        {"memory", m_s.limits.minMemoryMb, m_s.limits.maxMemoryMb, "MB"},
        {"logs", m_s.limits.minLogsMb, m_s.limits.maxLogsMb, "MB"},
        {"concurrency", 1, 1, ""},
    };
    for (const Range &range : ranges) {
        const QString field = QString::fromLatin1(range.field);
        const QJsonValue v = given.value(field);
        if (v.isUndefined() || v.isNull())
            continue;
        if (!v.isDouble() || v.toDouble() != double(v.toInteger()))
            throw malformed(QStringLiteral("%1 limit must be an integer").arg(field));
        const qint64 n = v.toInteger();
        if (n < range.min || n > range.max) {
            throw malformed(QStringLiteral("requirement failed: %1 %2 %3 is outside the allowed "
                                           "range of %4 to %5 %3")
                                .arg(field)
                                .arg(n)
                                .arg(QString::fromLatin1(range.what))
                                .arg(range.min)
                                .arg(range.max));
        }
        limits.insert(field, n);
    }
    return limits;
}

void ActionRoutes::put(const ApiCallPtr &call, const QString &package, const QString &name)
{
    requireOwner(*call, QualifiedName{call->ns, package, name}.relative());
    if (!package.isEmpty())
        requireWritablePackage(*call, package);
    const QString docId = QualifiedName{call->ns, package, name}.relative();
    const Entity *existing = checkPut(*call, m_s.entities.find(docId), int(Collection::Actions));
    const QJsonObject body = call->bodyObject();

    const QJsonObject exec = validatedExec(body, docId, existing);
    QJsonArray parameters
        = keyValuesOrKept(body, QStringLiteral("parameters"), existing, m_s.limits.maxPayloadBytes);
    const QJsonArray newAnnotations
        = keyValuesField(body, QStringLiteral("annotations"), m_s.limits.maxPayloadBytes);
    const QJsonValue delAnnotations = body.value(QStringLiteral("delAnnotations"));
    if (!delAnnotations.isUndefined() && !delAnnotations.isNull() && !delAnnotations.isArray())
        throw malformed(QStringLiteral("delAnnotations malformed"));
    const QJsonObject limits = validatedLimits(body, existing);

    const QString kind = exec.value(QLatin1String("kind")).toString();
    QJsonArray annotations;
    if (existing) {
        // Action updates merge annotations (PROTOCOL.md 1.6), unlike the other collections.
        // delAnnotations apply to the stored set before the new annotations are added.
        QStringList removed;
        for (const QJsonValue &key : delAnnotations.toArray())
            removed.append(key.toString());
        annotations = KeyValues::merged(
            KeyValues::without(existing->doc.value(QLatin1String("annotations")).toArray(),
                               removed),
            newAnnotations);
    } else {
        annotations = newAnnotations;
        if (KeyValues::value(annotations, u"provide-api-key").isUndefined()) {
            annotations = KeyValues::with(annotations, QStringLiteral("provide-api-key"), false);
        }
    }
    annotations = KeyValues::with(annotations, QStringLiteral("exec"), kind);
    if (kind == u"sequence") {
        parameters = QJsonArray{
            QJsonObject{{QStringLiteral("key"), QStringLiteral("_actions")},
                        {QStringLiteral("value"), exec.value(QLatin1String("components"))}}};
    }

    QJsonObject doc
        = documentFields(QualifiedName{call->ns, package, name}.path(), name, body, existing);
    doc.insert(QStringLiteral("exec"), exec);
    doc.insert(QStringLiteral("annotations"), annotations);
    doc.insert(QStringLiteral("parameters"), parameters);
    doc.insert(QStringLiteral("limits"), limits);
    if (!m_s.entities.put(Entity{Collection::Actions, docId, doc}))
        throw ApiError{500, Messages::internalError};
    call->respond(200, doc);
}

void ActionRoutes::remove(const ApiCallPtr &call, const QString &docId)
{
    const QStringList parts = docId.split(u'/');
    requireOwner(*call, docId);
    if (parts.size() == 3) {
        const Entity *pkg = m_s.entities.find(parts[0] + u'/' + parts[1]);
        if (pkg && !pkg->doc.value(QLatin1String("binding")).toObject().isEmpty())
            throw ApiError{400, Messages::bindingOperation};
    }
    const QJsonObject doc = m_s.resolver.readable(call->identity, Collection::Actions, docId).doc;
    if (!m_s.entities.remove(docId))
        throw ApiError{500, Messages::internalError};
    call->respond(200, doc);
}

void ActionRoutes::invoke(const ApiCallPtr &call, const QString &package, const QString &name)
{
    const qint64 payloadSize = call->request().body.size();
    if (payloadSize > m_s.limits.maxPayloadBytes) {
        throw ApiError{413,
                       QStringLiteral("Request larger than allowed: %1 > %2 bytes.")
                           .arg(payloadSize)
                           .arg(m_s.limits.maxPayloadBytes)};
    }
    const bool blocking = call->queryFlag(QStringLiteral("blocking"));
    const bool resultOnly = call->queryFlag(QStringLiteral("result"));
    int timeout = 60000;
    if (const auto text = call->query(QStringLiteral("timeout"))) {
        bool ok = false;
        timeout = text->toInt(&ok);
        if (!ok || timeout < 1 || timeout > 60000) {
            throw ApiError{400,
                           QStringLiteral("The query parameter 'timeout' was malformed:\n"
                                          "Timeout must be number of milliseconds up to "
                                          "60000.")};
        }
    }
    const QJsonObject payload = call->bodyObject();
    Activator::Request request{
        call->identity,
        m_s.resolver.resolveAction(call->identity, QualifiedName{call->ns, package, name}),
        payload,
        call->transactionId(),
        {}};

    if (!blocking) {
        const QString id = m_s.activator.start(request, {});
        call->respond(202,
                      QJsonObject{{QStringLiteral("activationId"), id}},
                      {{"x-openwhisk-activation-id", id.toLatin1()}});
        return;
    }

    // Blocking: answer with the record when it is done, or with the id after `timeout`.
    auto timer = std::make_shared<QTimer>();
    const QString id = m_s.activator.start(request, [call, resultOnly, timer](const Activation &a) {
        timer->stop();
        if (call->isAnswered())
            return;
        const int status = a.status == ActivationStatus::Success      ? 200
                           : a.status == ActivationStatus::WhiskError ? 500
                                                                      : 502;
        const Http::HeaderList headers{{"x-openwhisk-activation-id", a.activationId.toLatin1()}};
        if (resultOnly || a.result.isArray())
            call->respond(status, a.result, headers);
        else
            call->respond(status, a.toExtendedJson(), headers);
    });
    if (call->isAnswered())
        return;
    timer->setSingleShot(true);
    QObject::connect(timer.get(), &QTimer::timeout, timer.get(), [call, id] {
        if (!call->isAnswered()) {
            call->respond(202,
                          QJsonObject{{QStringLiteral("activationId"), id}},
                          {{"x-openwhisk-activation-id", id.toLatin1()}});
        }
    });
    timer->start(timeout);
}

} // namespace Feedscope::Engine
