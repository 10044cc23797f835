// SPDX-License-Identifier: GPL-3.0-or-later
#include "payloadshape.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <cmath>

namespace Feedscope {

namespace {

// Trigger ids remembered for de-duplication: a full record repeats only right after its summary
// or in an overlapping list, never thousands of events later.
constexpr size_t recentIds = 4096;
// String examples are kept this long for sampleParameters(); the display cuts at exampleLimit.
constexpr int sampleStringLimit = 200;

JsonType typeOf(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Bool:
        return JsonType::Boolean;
    case QJsonValue::Double: {
        // 2^53: beyond it a double no longer tells integers apart, so call it a number.
        const double d = value.toDouble();
        return std::floor(d) == d && std::abs(d) < 9007199254740992.0 ? JsonType::Integer
                                                                      : JsonType::Number;
    }
    case QJsonValue::String:
        return JsonType::String;
    case QJsonValue::Array:
        return JsonType::Array;
    case QJsonValue::Object:
        return JsonType::Object;
    default:
        return JsonType::Null;
    }
}

QString cut(const QString &text, int limit)
{
    return text.size() > limit ? text.left(limit - 1) + QChar(0x2026) : text;
}

} // namespace

QString jsonTypeName(JsonType type)
{
    switch (type) {
    case JsonType::Null:
        return QStringLiteral("null");
    case JsonType::Boolean:
        return QStringLiteral("boolean");
    case JsonType::Integer:
        return QStringLiteral("integer");
    case JsonType::Number:
        return QStringLiteral("number");
    case JsonType::String:
        return QStringLiteral("string");
    case JsonType::Object:
        return QStringLiteral("object");
    case JsonType::Array:
        return QStringLiteral("array");
    }
    return {};
}

struct PayloadShape::Node
{
    QString key;
    int present = 0;
    int seen = 0;
    quint64 lastPayload = 0; // the payload serial that last counted `present`
    std::array<int, typeCount> counts{};
    // Scalars: the first value seen (strings cut at sampleStringLimit). Objects and arrays:
    // their first size.
    std::array<QJsonValue, typeCount> examples{};
    quint8 hasExample = 0; // bit per type (a default QJsonValue is null, not "none yet")
    std::vector<std::unique_ptr<Node>> children; // object keys, in the order first seen
    QHash<QString, Node *> byKey;
    std::unique_ptr<Node> element; // array elements, all walked into one node

    JsonType commonType() const
    {
        // The most frequent type; null only when nothing else was seen, since a sample
        // parameter of null says little.
        int best = -1;
        for (int t = 0; t < typeCount; ++t) {
            if (counts[size_t(t)] == 0 || (t == int(JsonType::Null) && seen > counts[0]))
                continue;
            if (best < 0 || counts[size_t(t)] > counts[size_t(best)])
                best = t;
        }
        return best < 0 ? JsonType::Null : JsonType(best);
    }
};

struct PayloadShape::Shape
{
    Node root;
    int payloads = 0;
    int fields = 0;
    bool truncated = false;
    quint64 serial = 0;
};

PayloadShape::PayloadShape(QObject *parent)
    : QObject(parent)
{}

PayloadShape::~PayloadShape() = default;

void PayloadShape::clear()
{
    const QStringList had = triggers();
    m_shapes.clear();
    m_seenIds.clear();
    m_seenOrder.clear();
    m_seenNext = 0;
    if (!had.isEmpty())
        Q_EMIT changed(had);
}

void PayloadShape::ingest(const QList<ActivationRecord> &records)
{
    QStringList touched;
    for (const ActivationRecord &record : records) {
        // Trigger records only (actions carry a `path` annotation), and only full ones: a
        // summary has no response, so no payload.
        if (record.activationId.isEmpty() || !record.isTrigger()
            || !record.raw.contains(QLatin1String("response")) || record.result.isUndefined())
            continue;
        if (m_seenIds.contains(record.activationId))
            continue;
        if (m_seenOrder.size() < recentIds) {
            m_seenOrder.push_back(record.activationId);
        } else {
            m_seenIds.remove(m_seenOrder[m_seenNext]);
            m_seenOrder[m_seenNext] = record.activationId;
            m_seenNext = (m_seenNext + 1) % recentIds;
        }
        m_seenIds.insert(record.activationId);
        if (add(record.name, record.result) && !touched.contains(record.name))
            touched.append(record.name);
    }
    if (!touched.isEmpty())
        Q_EMIT changed(touched);
}

void PayloadShape::addPayload(const QString &trigger, const QJsonValue &payload)
{
    if (add(trigger, payload))
        Q_EMIT changed({trigger});
}

bool PayloadShape::add(const QString &trigger, const QJsonValue &payload)
{
    if (trigger.isEmpty())
        return false;
    auto it = m_shapes.find(trigger);
    if (it == m_shapes.end()) {
        if (m_shapes.size() >= maxTriggers)
            return false;
        it = m_shapes.insert(trigger, std::make_shared<Shape>());
    }
    Shape &shape = **it;
    ++shape.payloads;
    ++shape.serial;
    int budget = maxValuesPerPayload;
    walk(shape, shape.root, payload, 0, budget);
    return true;
}

PayloadShape::Node *PayloadShape::childOf(Shape &shape, Node &node, const QString &key)
{
    if (Node *child = node.byKey.value(key))
        return child;
    if (shape.fields >= maxFieldsPerTrigger) {
        shape.truncated = true;
        return nullptr;
    }
    ++shape.fields;
    node.children.push_back(std::make_unique<Node>());
    Node *child = node.children.back().get();
    child->key = key;
    node.byKey.insert(key, child);
    return child;
}

void PayloadShape::walk(Shape &shape, Node &node, const QJsonValue &value, int depth, int &budget)
{
    if (budget <= 0) {
        shape.truncated = true;
        return;
    }
    --budget;
    if (node.lastPayload != shape.serial) {
        node.lastPayload = shape.serial;
        ++node.present;
    }
    ++node.seen;
    const JsonType type = typeOf(value);
    const auto t = size_t(type);
    ++node.counts[t];
    if (!(node.hasExample & (1u << t))) {
        node.hasExample |= quint8(1u << t);
        if (type == JsonType::String)
            node.examples[t] = value.toString().left(sampleStringLimit);
        else if (type == JsonType::Object)
            node.examples[t] = value.toObject().size();
        else if (type == JsonType::Array)
            node.examples[t] = value.toArray().size();
        else
            node.examples[t] = value;
    }
    if (type != JsonType::Object && type != JsonType::Array)
        return;
    if (depth >= maxDepth) {
        shape.truncated = true;
        return;
    }
    if (type == JsonType::Object) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (Node *child = childOf(shape, node, it.key()))
                walk(shape, *child, it.value(), depth + 1, budget);
        }
        return;
    }
    const QJsonArray array = value.toArray();
    if (array.isEmpty())
        return;
    if (!node.element) {
        if (shape.fields >= maxFieldsPerTrigger) {
            shape.truncated = true;
            return;
        }
        ++shape.fields;
        node.element = std::make_unique<Node>();
        node.element->key = QStringLiteral("[]");
    }
    // Elements of one array are mostly alike: a sample of them tells the shape.
    const qsizetype n = qMin(array.size(), qsizetype(maxArrayElements));
    for (qsizetype i = 0; i < n; ++i)
        walk(shape, *node.element, array.at(i), depth + 1, budget);
}

QStringList PayloadShape::triggers() const
{
    QStringList list = m_shapes.keys();
    list.sort();
    return list;
}

int PayloadShape::payloadCount(const QString &trigger) const
{
    const auto shape = m_shapes.value(trigger);
    return shape ? shape->payloads : 0;
}

bool PayloadShape::isTruncated(const QString &trigger) const
{
    const auto shape = m_shapes.value(trigger);
    return shape && shape->truncated;
}

QList<FieldShape> PayloadShape::fields(const QString &trigger) const
{
    QList<FieldShape> list;
    const auto shape = m_shapes.value(trigger);
    if (!shape)
        return list;
    if (shape->root.element) // a top-level array payload
        collect(*shape->root.element, QStringLiteral("[]"), 0, list);
    for (const auto &child : shape->root.children)
        collect(*child, child->key, 0, list);
    return list;
}

void PayloadShape::collect(const Node &node,
                           const QString &path,
                           int depth,
                           QList<FieldShape> &out) const
{
    FieldShape field;
    field.path = path;
    field.key = node.key;
    field.depth = depth;
    field.present = node.present;
    field.seen = node.seen;
    for (int t = 0; t < typeCount; ++t) {
        const int count = node.counts[size_t(t)];
        if (count == 0)
            continue;
        const QJsonValue &example = node.examples[size_t(t)];
        FieldTypeShare share;
        share.type = JsonType(t);
        share.count = count;
        switch (share.type) {
        case JsonType::Null:
            share.example = QStringLiteral("null");
            break;
        case JsonType::Boolean:
            share.example = example.toBool() ? QStringLiteral("true") : QStringLiteral("false");
            break;
        case JsonType::Integer:
            share.example = QString::number(example.toInteger());
            break;
        case JsonType::Number:
            share.example = QString::number(example.toDouble(), 'g', 15);
            break;
        case JsonType::String:
            share.example = cut(example.toString(), exampleLimit);
            break;
        case JsonType::Object:
            share.example = example.toInt() == 1 ? QStringLiteral("{1 field}")
                                                  : QStringLiteral("{%1 fields}").arg(example.toInt());
            break;
        case JsonType::Array:
            share.example = example.toInt() == 1 ? QStringLiteral("[1 item]")
                                                  : QStringLiteral("[%1 items]").arg(example.toInt());
            break;
        }
        field.types.append(share);
    }
    std::stable_sort(field.types.begin(), field.types.end(),
                     [](const FieldTypeShare &a, const FieldTypeShare &b) {
                         return a.count > b.count;
                     });
    out.append(field);
    for (const auto &child : node.children)
        collect(*child, path + u'.' + child->key, depth + 1, out);
    if (node.element)
        collect(*node.element, path + QLatin1String("[]"), depth + 1, out);
}

QJsonValue PayloadShape::sampleOf(const Node &node) const
{
    const JsonType type = node.commonType();
    switch (type) {
    case JsonType::Object: {
        QJsonObject object;
        for (const auto &child : node.children)
            object.insert(child->key, sampleOf(*child));
        return object;
    }
    case JsonType::Array:
        return node.element ? QJsonArray{sampleOf(*node.element)} : QJsonArray();
    case JsonType::Null:
        return QJsonValue(QJsonValue::Null);
    default:
        return node.examples[size_t(type)];
    }
}

QJsonObject PayloadShape::sampleParameters(const QString &trigger) const
{
    const auto shape = m_shapes.value(trigger);
    if (!shape || shape->root.counts[size_t(JsonType::Object)] == 0)
        return {};
    QJsonObject params;
    for (const auto &child : shape->root.children)
        params.insert(child->key, sampleOf(*child));
    return params;
}

} // namespace Feedscope
