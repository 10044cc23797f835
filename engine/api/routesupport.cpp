// SPDX-License-Identifier: GPL-3.0-or-later
#include "routesupport.h"

#include "core/apierror.h"
#include "core/ids.h"
#include "core/keyvalues.h"
#include "entityname.h"
#include "store/entitystore.h"

#include <QJsonDocument>

namespace Feedscope::Engine::RouteSupport {

namespace {

ApiError malformed(const QString &detail)
{
    return ApiError{400, QStringLiteral("The request content was malformed:\n") + detail};
}

ApiError malformedQuery(const QString &parameter, const QString &detail)
{
    return ApiError{
        400, QStringLiteral("The query parameter '%1' was malformed:\n%2").arg(parameter, detail)};
}

} // namespace

QString singleName(const ApiCall &call)
{
    if (call.rest.size() != 1)
        throw ApiError{404, QStringLiteral("The requested resource could not be found.")};
    return entityName(call.rest[0]);
}

void requireMethod(const ApiCall &call, std::initializer_list<const char *> allowed)
{
    QStringList names;
    for (const char *method : allowed) {
        if (call.method() == method)
            return;
        names.append(QString::fromLatin1(method));
    }
    throw ApiError{405,
                   QStringLiteral("HTTP method not allowed, supported methods: ")
                       + names.join(QStringLiteral(", ")),
                   names.join(QStringLiteral(", ")).toLatin1()};
}

QString entityName(const QString &segment)
{
    if (segment.size() > 256) {
        throw ApiError{
            400,
            QStringLiteral("Name segement longer than allowed: %1 > 256.").arg(segment.size())};
    }
    if (!isValidEntityName(segment))
        throw ApiError{400, QStringLiteral("The name of the entity contains illegal characters.")};
    return segment;
}

void requireOwner(const ApiCall &call, const QString &resource)
{
    if (call.ns != call.identity.ns) {
        throw ApiError{403,
                       QStringLiteral("The supplied authentication is not authorized to "
                                      "access '%1'.")
                           .arg(resource)};
    }
}

ListParams listParams(const ApiCall &call, const QString &collection)
{
    ListParams params;
    auto integer = [&](const QString &name, int fallback) {
        const auto text = call.query(name);
        if (!text || text->isEmpty())
            return fallback;
        bool ok = false;
        const int value = text->toInt(&ok);
        if (!ok) {
            throw malformedQuery(
                name,
                QStringLiteral("The value '%1' is not an integer for %2.").arg(*text, collection));
        }
        return value;
    };
    params.limit = integer(QStringLiteral("limit"), 30);
    if (params.limit == 0)
        params.limit = 200;
    if (params.limit < 0 || params.limit > 200) {
        throw malformedQuery(
            QStringLiteral("limit"),
            QStringLiteral("The value '%1' is not in the range of 0 to 200 for %2.")
                .arg(params.limit)
                .arg(collection));
    }
    params.skip = integer(QStringLiteral("skip"), 0);
    if (params.skip < 0) {
        throw malformedQuery(QStringLiteral("skip"),
                             QStringLiteral("The value '%1' is not greater than or equal to 0 for "
                                            "%2.")
                                 .arg(params.skip)
                                 .arg(collection));
    }
    if (const auto count = call.query(QStringLiteral("count"))) {
        if (*count != u"true" && *count != u"false") {
            throw malformedQuery(QStringLiteral("count"),
                                 QStringLiteral("'%1' is not a valid Boolean value").arg(*count));
        }
        params.count = *count == u"true";
    }
    return params;
}

QJsonArray keyValuesField(const QJsonObject &body, const QString &field, qint64 maxBytes)
{
    const QJsonValue value = body.value(field);
    if (value.isUndefined() || value.isNull())
        return {};
    if (!KeyValues::isWellFormed(value))
        throw malformed(field + QStringLiteral(" malformed!"));
    const qint64 size = QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact).size();
    if (size > maxBytes) {
        throw ApiError{413,
                       QStringLiteral("%1 larger than allowed: %2 > %3 bytes.")
                           .arg(field)
                           .arg(size)
                           .arg(maxBytes)};
    }
    return value.toArray();
}

QJsonArray keyValuesOrKept(const QJsonObject &body,
                           const QString &field,
                           const Entity *existing,
                           qint64 maxBytes)
{
    if (!body.contains(field) && existing)
        return existing->doc.value(field).toArray();
    return keyValuesField(body, field, maxBytes);
}

QJsonObject documentFields(const QString &path,
                           const QString &name,
                           const QJsonObject &body,
                           const Entity *existing)
{
    return QJsonObject{
        {QStringLiteral("namespace"), path},
        {QStringLiteral("name"), name},
        {QStringLiteral("version"), versionField(body, existing)},
        {QStringLiteral("publish"),
         boolField(body,
                   QStringLiteral("publish"),
                   existing && existing->doc.value(QLatin1String("publish")).toBool())},
        {QStringLiteral("updated"), nowMs()},
    };
}

bool boolField(const QJsonObject &body, const QString &field, bool fallback)
{
    const QJsonValue value = body.value(field);
    if (value.isUndefined() || value.isNull())
        return fallback;
    if (!value.isBool()) {
        throw malformed(QStringLiteral("Expected Boolean as JsBoolean, but got %1")
                            .arg(QString::fromUtf8(QJsonDocument(QJsonArray{value})
                                                       .toJson(QJsonDocument::Compact)
                                                       .mid(1)
                                                       .chopped(1))));
    }
    return value.toBool();
}

QString versionField(const QJsonObject &body, const Entity *existing)
{
    const QJsonValue value = body.value(QStringLiteral("version"));
    if (!value.isUndefined() && !value.isNull()) {
        if (!value.isString() || !isValidSemVer(value.toString()))
            throw malformed(QStringLiteral("version malformed"));
        return value.toString();
    }
    if (existing)
        return bumpPatchVersion(existing->doc.value(QLatin1String("version")).toString());
    return QStringLiteral("0.0.1");
}

const Entity *checkPut(const ApiCall &call, const Entity *existing, int collection)
{
    if (!existing)
        return nullptr;
    if (int(existing->collection) != collection)
        throw ApiError{409, Messages::conflictingCollection};
    if (!call.queryFlag(QStringLiteral("overwrite")))
        throw ApiError{409, Messages::alreadyExists};
    return existing;
}

} // namespace Feedscope::Engine::RouteSupport
