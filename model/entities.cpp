// SPDX-License-Identifier: GPL-3.0-or-later
#include "entities.h"

namespace Feedscope {

namespace {

const QString keyField = QStringLiteral("key");
const QString valueField = QStringLiteral("value");

QString str(const QJsonObject &o, const char *field)
{
    return o.value(QLatin1String(field)).toString();
}

void readBase(EntityBase &e, const QJsonObject &json)
{
    e.raw = json;
    e.ns = str(json, "namespace");
    e.name = str(json, "name");
    e.version = str(json, "version");
    e.publish = json.value(QLatin1String("publish")).toBool();
    e.annotations = KeyValueList(json.value(QLatin1String("annotations")).toArray());
    e.parameters = KeyValueList(json.value(QLatin1String("parameters")).toArray());
    e.updated = json.value(QLatin1String("updated")).toInteger();
}

QJsonObject baseBody(const EntityBase &e)
{
    QJsonObject body{{QStringLiteral("annotations"), e.annotations.toJson()},
                     {QStringLiteral("parameters"), e.parameters.toJson()},
                     {QStringLiteral("publish"), e.publish}};
    if (!e.version.isEmpty())
        body.insert(QStringLiteral("version"), e.version);
    return body;
}

// {"path": "guest", "name": "x"} → "/guest/x"
QString refToName(const QJsonValue &ref)
{
    if (ref.isString())
        return ref.toString();
    const QJsonObject o = ref.toObject();
    return u'/' + str(o, "path") + u'/' + str(o, "name");
}

} // namespace

KeyValueList KeyValueList::fromObject(const QJsonObject &object)
{
    KeyValueList list;
    for (auto it = object.begin(); it != object.end(); ++it)
        list.set(it.key(), it.value());
    return list;
}

QJsonValue KeyValueList::value(const QString &key) const
{
    for (const QJsonValue &pair : m_pairs) {
        const QJsonObject o = pair.toObject();
        if (o.value(keyField).toString() == key)
            return o.value(valueField);
    }
    return QJsonValue(QJsonValue::Undefined);
}

void KeyValueList::set(const QString &key, const QJsonValue &value)
{
    for (qsizetype i = 0; i < m_pairs.size(); ++i) {
        if (m_pairs.at(i).toObject().value(keyField).toString() == key) {
            m_pairs.replace(i, QJsonObject{{keyField, key}, {valueField, value}});
            return;
        }
    }
    m_pairs.append(QJsonObject{{keyField, key}, {valueField, value}});
}

void KeyValueList::remove(const QString &key)
{
    for (qsizetype i = m_pairs.size() - 1; i >= 0; --i) {
        if (m_pairs.at(i).toObject().value(keyField).toString() == key)
            m_pairs.removeAt(i);
    }
}

QStringList KeyValueList::keys() const
{
    QStringList keys;
    for (const QJsonValue &pair : m_pairs)
        keys.append(pair.toObject().value(keyField).toString());
    return keys;
}

QJsonObject KeyValueList::toObject() const
{
    QJsonObject o;
    for (const QJsonValue &pair : m_pairs)
        o.insert(pair.toObject().value(keyField).toString(), pair.toObject().value(valueField));
    return o;
}

QualifiedName EntityBase::qualifiedName() const
{
    const qsizetype slash = ns.indexOf(u'/');
    return slash < 0 ? QualifiedName{ns, {}, name}
                     : QualifiedName{ns.left(slash), ns.mid(slash + 1), name};
}

Action Action::fromJson(const QJsonObject &json)
{
    Action a;
    readBase(a, json);
    const QJsonObject exec = json.value(QLatin1String("exec")).toObject();
    a.kind = str(exec, "kind");
    a.code = str(exec, "code");
    a.main = str(exec, "main");
    a.image = str(exec, "image");
    a.binary = exec.value(QLatin1String("binary")).toBool();
    for (const QJsonValue &c : exec.value(QLatin1String("components")).toArray())
        a.components.append(c.toString());
    a.limits = json.value(QLatin1String("limits")).toObject();
    return a;
}

QJsonObject Action::toPutBody() const
{
    QJsonObject exec{{QStringLiteral("kind"), kind}};
    if (kind == u"sequence") {
        exec.insert(QStringLiteral("components"), QJsonArray::fromStringList(components));
    } else {
        exec.insert(QStringLiteral("code"), code);
        exec.insert(QStringLiteral("binary"), binary);
        if (!main.isEmpty())
            exec.insert(QStringLiteral("main"), main);
        if (!image.isEmpty())
            exec.insert(QStringLiteral("image"), image);
    }
    QJsonObject body = baseBody(*this);
    body.insert(QStringLiteral("exec"), exec);
    if (!limits.isEmpty())
        body.insert(QStringLiteral("limits"), limits);
    return body;
}

Package Package::fromJson(const QJsonObject &json)
{
    Package p;
    readBase(p, json);
    // Full documents carry "binding": {} or {namespace, name}; list summaries carry false.
    const QJsonObject binding = json.value(QLatin1String("binding")).toObject();
    p.bindingNamespace = str(binding, "namespace");
    p.bindingName = str(binding, "name");
    for (const QJsonValue &a : json.value(QLatin1String("actions")).toArray())
        p.actionNames.append(str(a.toObject(), "name"));
    for (const QJsonValue &f : json.value(QLatin1String("feeds")).toArray())
        p.feedNames.append(str(f.toObject(), "name"));
    return p;
}

QJsonObject Package::toPutBody() const
{
    QJsonObject body = baseBody(*this);
    if (isBinding()) {
        body.insert(QStringLiteral("binding"),
                    QJsonObject{{QStringLiteral("namespace"), bindingNamespace},
                                {QStringLiteral("name"), bindingName}});
    }
    return body;
}

Trigger Trigger::fromJson(const QJsonObject &json)
{
    Trigger t;
    readBase(t, json);
    const QJsonObject rules = json.value(QLatin1String("rules")).toObject();
    for (auto it = rules.begin(); it != rules.end(); ++it) {
        const QJsonObject entry = it.value().toObject();
        const QJsonObject action = entry.value(QLatin1String("action")).toObject();
        t.rules.append(RuleStatusEntry{it.key(),
                                       str(action, "path") + u'/' + str(action, "name"),
                                       str(entry, "status") == u"active"});
    }
    return t;
}

QJsonObject Trigger::toPutBody() const
{
    return baseBody(*this);
}

Rule Rule::fromJson(const QJsonObject &json)
{
    Rule r;
    readBase(r, json);
    r.trigger = refToName(json.value(QLatin1String("trigger")));
    r.action = refToName(json.value(QLatin1String("action")));
    r.status = str(json, "status");
    return r;
}

QJsonObject Rule::toPutBody() const
{
    QJsonObject body{{QStringLiteral("trigger"), trigger}, {QStringLiteral("action"), action}};
    if (!annotations.isEmpty())
        body.insert(QStringLiteral("annotations"), annotations.toJson());
    return body;
}

ActivationRecord ActivationRecord::fromJson(const QJsonObject &json)
{
    ActivationRecord a;
    a.raw = json;
    a.activationId = str(json, "activationId");
    a.ns = str(json, "namespace");
    a.name = str(json, "name");
    a.version = str(json, "version");
    a.subject = str(json, "subject");
    a.cause = str(json, "cause");
    a.start = json.value(QLatin1String("start")).toInteger();
    a.end = json.value(QLatin1String("end")).toInteger();
    a.duration = json.value(QLatin1String("duration")).toInteger();
    a.annotations = KeyValueList(json.value(QLatin1String("annotations")).toArray());
    for (const QJsonValue &line : json.value(QLatin1String("logs")).toArray())
        a.logs.append(line.toString());
    const QJsonObject response = json.value(QLatin1String("response")).toObject();
    a.status = str(response, "status");
    a.success = response.value(QLatin1String("success")).toBool();
    a.result = response.value(QLatin1String("result"));
    a.statusCode = json.contains(QLatin1String("statusCode"))
                       ? json.value(QLatin1String("statusCode")).toInt()
                   : a.status == u"success"                ? 0
                   : a.status == u"application error"      ? 1
                   : a.status == u"action developer error" ? 2
                   : a.status == u"whisk internal error"   ? 3
                                                           : -1;
    if (a.statusCode == 0)
        a.success = true;
    return a;
}

} // namespace Feedscope
