// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "apicall.h"
#include "store/entitystore.h"

#include <QJsonArray>
#include <QJsonObject>

#include <initializer_list>

namespace Feedscope::Engine {

struct Entity;

// Helpers shared by the collection routes: method checks, name and list parameters, request
// field validation and the common fields of every entity document.
namespace RouteSupport {

// True for ".../collection" and ".../collection/": the list route.
inline bool isCollectionRoot(const QStringList &rest)
{
    return rest.isEmpty() || (rest.size() == 1 && rest[0].isEmpty());
}
// The single entity name of ".../collection/{name}"; 404 for deeper paths, 400 for bad names.
QString singleName(const ApiCall &call);

// Throws 405 "HTTP method not allowed, supported methods: ..." unless the method is allowed.
void requireMethod(const ApiCall &call, std::initializer_list<const char *> allowed);
// Validates one decoded name segment of the path; throws 400 with the controller's message.
QString entityName(const QString &segment);
// Throws 403 unless the caller owns the path's namespace (writes, and reads of private things).
void requireOwner(const ApiCall &call, const QString &resource);

struct ListParams
{
    int limit = 30;
    int skip = 0;
    bool count = false;
};
// limit (0 = 200, default 30, 1..200), skip (>= 0), count; 400 texts as the controller's.
ListParams listParams(const ApiCall &call, const QString &collection);
// Answers a list request of stored entities: {"<collection>": N} with count=true, else the page
// of `entities` (already filtered and ordered), each turned into JSON by `summarize` — only the
// page's, so a page of 200 out of 10,000 costs 200 summaries.
template<typename Summarize>
void respondEntities(ApiCall &call,
                     const QString &collection,
                     const QList<const Entity *> &entities,
                     const ListParams &params,
                     Summarize summarize)
{
    if (params.count) {
        call.respond(200, QJsonObject{{collection, int(entities.size())}});
        return;
    }
    QJsonArray result;
    for (qsizetype i = params.skip; i < entities.size() && result.size() < params.limit; ++i)
        result.append(summarize(*entities.at(i)));
    call.respond(200, result);
}

// Request field checks; each throws 400 "The request content was malformed:\n..." or 413.
QJsonArray keyValuesField(const QJsonObject &body, const QString &field, qint64 maxBytes);
// The field from the body, or — when the body does not mention it — the existing entity's.
QJsonArray keyValuesOrKept(const QJsonObject &body,
                           const QString &field,
                           const Entity *existing,
                           qint64 maxBytes);
bool boolField(const QJsonObject &body, const QString &field, bool fallback);
QString versionField(const QJsonObject &body, const Entity *existing);

// The 409s of a PUT: a name taken by another collection, or an existing entity without
// overwrite=true. Returns the existing entity of the same collection, if any.
const Entity *checkPut(const ApiCall &call, const Entity *existing, int collection);
// The fields every entity document has: namespace (`path`), name, version, publish, updated.
QJsonObject documentFields(const QString &path,
                           const QString &name,
                           const QJsonObject &body,
                           const Entity *existing);

} // namespace RouteSupport
} // namespace Feedscope::Engine
