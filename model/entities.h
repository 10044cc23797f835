// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "entityname.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>

namespace Feedscope {

// Parameters and annotations: an ordered list of {key, value} (PROTOCOL.md 0).
class KeyValueList
{
public:
    KeyValueList() = default;
    explicit KeyValueList(QJsonArray pairs)
        : m_pairs(std::move(pairs))
    {}
    static KeyValueList fromObject(const QJsonObject &object);

    QJsonValue value(const QString &key) const;
    bool contains(const QString &key) const { return !value(key).isUndefined(); }
    void set(const QString &key, const QJsonValue &value);
    void remove(const QString &key);
    QStringList keys() const;
    QJsonObject toObject() const;
    const QJsonArray &toJson() const { return m_pairs; }
    bool isEmpty() const { return m_pairs.isEmpty(); }

    friend bool operator==(const KeyValueList &a, const KeyValueList &b)
    {
        return a.m_pairs == b.m_pairs;
    }

private:
    QJsonArray m_pairs;
};

// Common fields of the four entity collections. `raw` keeps the whole document as the
// controller returned it, so fields this client does not model survive a round trip.
struct EntityBase
{
    QString ns; // the document's "namespace": "guest" or "guest/pkg"
    QString name;
    QString version;
    bool publish = false;
    KeyValueList annotations;
    KeyValueList parameters;
    qint64 updated = 0;
    QJsonObject raw;

    QualifiedName qualifiedName() const;
};

struct Action : EntityBase
{
    QString kind; // exec.kind
    QString code; // exec.code (empty when fetched with code=false)
    QString main; // exec.main
    bool binary = false;
    QStringList components; // sequences
    QString image;          // blackbox
    QJsonObject limits;

    static Action fromJson(const QJsonObject &json);
    // The body of a PUT: exec, parameters, annotations, limits (when set), publish.
    QJsonObject toPutBody() const;
    bool isFeed() const { return annotations.contains(QStringLiteral("feed")); }
};

struct Package : EntityBase
{
    // A binding names its target; a plain package has none ("binding": {} or false).
    QString bindingNamespace;
    QString bindingName;
    QList<QString> actionNames;
    QList<QString> feedNames;

    bool isBinding() const { return !bindingName.isEmpty(); }
    static Package fromJson(const QJsonObject &json);
    QJsonObject toPutBody() const;
};

struct RuleStatusEntry
{
    QString rule;   // "ns/name"
    QString action; // "ns/name" or "ns/pkg/name"
    bool active = false;
};

struct Trigger : EntityBase
{
    QList<RuleStatusEntry> rules;

    QString feed() const { return annotations.value(QStringLiteral("feed")).toString(); }
    static Trigger fromJson(const QJsonObject &json);
    QJsonObject toPutBody() const;
};

struct Rule : EntityBase
{
    QString trigger; // "/ns/name"
    QString action;  // "/ns/name" or "/ns/pkg/name"
    QString status;  // "active" / "inactive"; empty in list results

    bool isActive() const { return status == u"active"; }
    static Rule fromJson(const QJsonObject &json);
    QJsonObject toPutBody() const;
};

struct ActivationRecord
{
    QString activationId;
    QString ns;
    QString name;
    QString version;
    QString subject;
    QString cause;
    qint64 start = 0;
    qint64 end = 0; // 0 when the record has none (trigger activations)
    qint64 duration = 0;
    int statusCode = -1; // summaries: 0..3; -1 unknown
    QString status;      // full records: "success", "application error", ...
    bool success = false;
    QJsonValue result;
    QStringList logs;
    KeyValueList annotations;
    QJsonObject raw;

    static ActivationRecord fromJson(const QJsonObject &json);
    QString path() const { return annotations.value(QStringLiteral("path")).toString(); }
    bool isTrigger() const { return !annotations.contains(QStringLiteral("path")); }
};

} // namespace Feedscope
