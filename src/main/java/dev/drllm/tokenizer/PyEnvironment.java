package dev.drllm.tokenizer;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.el.TruthyTypeConverter;
import com.hubspot.jinjava.el.ext.AdditionOperator;
import com.hubspot.jinjava.el.ext.ExtendedParser;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.InterpretException;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.expression.ExpressionStrategy;
import com.hubspot.jinjava.lib.tag.Tag;
import com.hubspot.jinjava.mode.ExecutionMode;
import com.hubspot.jinjava.objects.SafeString;
import com.hubspot.jinjava.tree.Node;
import com.hubspot.jinjava.tree.TagNode;
import com.hubspot.jinjava.tree.output.RenderedOutputNode;
import com.hubspot.jinjava.tree.parse.ExpressionToken;
import jinjava.de.odysseus.el.ExpressionFactoryImpl;
import jinjava.de.odysseus.el.misc.TypeConverter;
import jinjava.de.odysseus.el.tree.TreeStore;
import jinjava.de.odysseus.el.tree.impl.Builder;
import jinjava.de.odysseus.el.tree.impl.Cache;
import jinjava.de.odysseus.el.tree.impl.Parser;
import jinjava.de.odysseus.el.tree.impl.ast.AstBinary;
import jinjava.de.odysseus.el.tree.impl.ast.AstNode;
import jinjava.javax.el.ExpressionFactory;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Jinjava made to evaluate as Jinja2 does where chat templates can tell the difference: values
 * print and concatenate as Python's {@code str()}, {@code +} and {@code ==} follow Python's types,
 * the filters and tests are Jinja2's (an unknown one is an error, not an empty string), and
 * transformers' {@code {% generation %}} tag exists. Each behaviour is checked against Jinja2 by
 * ChatTemplateCorpusTest and PyCompatTest.
 */
final class PyEnvironment {
    private PyEnvironment() {}

    /** Jinjava with Python's string conversion and operators in its expression language. */
    static final class PyJinjava extends Jinjava {
        private final ExpressionFactory factory = new ExpressionFactoryImpl(new TreeStore(new PyBuilder(), new Cache(1000)), new PyTypeConverter());

        PyJinjava(JinjavaConfig config) { super(config); }

        @Override public ExpressionFactory getExpressionFactory() { return factory; }
    }

    static final PyTypeConverter CONVERTER = new PyTypeConverter();

    /** Conversions as Python makes them: str() for text ({@code ~}, filters), Python truthiness. */
    static final class PyTypeConverter extends TruthyTypeConverter {
        @Override protected String coerceToString(Object value) { return PyValues.str(value); }

        @Override protected Boolean coerceToBoolean(Object value) { return PyValues.truthy(value); }
    }

    /** The expression parser with Python's {@code +}, {@code ==} and {@code !=}. */
    static final class PyBuilder extends com.hubspot.jinjava.el.ExtendedSyntaxBuilder {
        // what Jinjava's expression factory enables (the JEE6 profile): method calls and varargs
        PyBuilder() { super(Builder.Feature.METHOD_INVOCATIONS, Builder.Feature.VARARGS); }

        @Override
        protected Parser createParser(String expression) {
            return new ExtendedParser(this, expression) {
                /** A filter or test Jinja2 does not have fails where it is used (Jinjava has dozens more). */
                @Override
                protected jinjava.de.odysseus.el.tree.impl.ast.AstIdentifier createAstIdentifier(String name, int index) {
                    String kind = name.startsWith("filter:") ? "filter" : name.startsWith("exptest:") ? "test" : null;
                    String bare = kind == null ? name : name.substring(name.indexOf(':') + 1);
                    if (kind != null && !(kind.equals("filter") ? JINJA2_FILTERS : JINJA2_TESTS).contains(bare)) {
                        return new jinjava.de.odysseus.el.tree.impl.ast.AstIdentifier(name, index) {
                            @Override
                            public Object eval(jinjava.de.odysseus.el.tree.Bindings bindings, jinjava.javax.el.ELContext context) {
                                throw new PyValues.PyError("TemplateAssertionError: No " + kind + " named '" + bare + "'.");
                            }
                        };
                    }
                    return super.createAstIdentifier(name, index);
                }

                /** {@code x.name} / {@code x[key]} on undefined x raises, as Jinja2's Undefined does (Jinjava gave null). */
                @Override
                protected jinjava.de.odysseus.el.tree.impl.ast.AstDot createAstDot(AstNode prefix, String name, boolean lvalue) {
                    AstNode base = prefix instanceof jinjava.de.odysseus.el.tree.impl.ast.AstIdentifier id && id.getName().contains(":") ? prefix : new Defined(prefix);
                    if (!PyValues.DICT_METHODS.contains(name)) return super.createAstDot(base, name, lvalue);
                    // d.items without a call is the method in Jinja2 (getattr first), not d['items']
                    return new jinjava.de.odysseus.el.tree.impl.ast.AstDot(base, name, lvalue) {
                        @Override
                        public Object eval(jinjava.de.odysseus.el.tree.Bindings bindings, jinjava.javax.el.ELContext context) {
                            Object b = base.eval(bindings, context);
                            if (b instanceof Map<?, ?> m && !(b instanceof com.hubspot.jinjava.objects.Namespace)) return PyValues.dictAttribute(m, name);
                            return super.eval(bindings, context);
                        }
                    };
                }

                @Override
                protected jinjava.de.odysseus.el.tree.impl.ast.AstBracket createAstBracket(AstNode base, AstNode property, boolean lvalue, boolean strict) {
                    return super.createAstBracket(new Defined(base), property, lvalue, strict);
                }

                /** Python's {@code in} and {@code not in}. */
                @Override
                protected ExtensionHandler getExtensionHandler(jinjava.de.odysseus.el.tree.impl.Scanner.Token token) {
                    if ("in".equals(token.getImage())) return IN_HANDLER;
                    if ("not in".equals(token.getImage())) return NOT_IN_HANDLER;
                    return super.getExtensionHandler(token);
                }

                @Override
                protected AstBinary createAstBinary(AstNode left, AstNode right, AstBinary.Operator operator) {
                    if (operator == AdditionOperator.OP) operator = ADD;
                    else if (operator == AstBinary.EQ) operator = EQ;
                    else if (operator == AstBinary.NE) operator = NE;
                    else if (operator == AstBinary.MUL) operator = MUL;
                    else if (operator == AstBinary.AND) operator = AND;
                    else if (operator == AstBinary.SUB) operator = arithmetic("-", PyNumbers::sub);
                    else if (operator == AstBinary.DIV) operator = arithmetic("/", PyNumbers::truediv);
                    else if (operator == AstBinary.MOD) operator = MOD;
                    else if (operator == AstBinary.LT) operator = comparison("<");
                    else if (operator == AstBinary.LE) operator = comparison("<=");
                    else if (operator == AstBinary.GT) operator = comparison(">");
                    else if (operator == AstBinary.GE) operator = comparison(">=");
                    else if (operator == com.hubspot.jinjava.el.ext.OrOperator.OP || operator == AstBinary.OR) operator = OR;
                    return super.createAstBinary(left, right, operator);
                }

                /** Python's unary minus (and integers of any size). */
                @Override
                protected jinjava.de.odysseus.el.tree.impl.ast.AstUnary createAstUnary(AstNode child, jinjava.de.odysseus.el.tree.impl.ast.AstUnary.Operator operator) {
                    if (operator == jinjava.de.odysseus.el.tree.impl.ast.AstUnary.NEG) operator = NEG;
                    return super.createAstUnary(child, operator);
                }

                /** Integer literals of any size, as Python reads them. */
                @Override
                protected Number parseInteger(String string) throws jinjava.de.odysseus.el.tree.impl.Parser.ParseException {
                    try {
                        return Long.valueOf(string);
                    } catch (NumberFormatException e) {
                        return (Number) PyNumbers.norm(new java.math.BigInteger(string));
                    }
                }

                /**
                 * Jinja2's precedence: {@code **} binds tighter than {@code *}, {@code /}, {@code //} and
                 * {@code %} (Jinjava had it at their level: {@code 2 * 3 ** 2} was 36), left to right as
                 * in Jinja2, on unary operands ({@code -2 ** 2} is 4 there).
                 */
                @Override
                protected AstNode mul(boolean required) throws jinjava.de.odysseus.el.tree.impl.Scanner.ScanException, jinjava.de.odysseus.el.tree.impl.Parser.ParseException {
                    AstNode v = pow(required);
                    if (v == null) return null;
                    while (true) {
                        var token = getToken();
                        switch (token.getSymbol()) {
                            case MUL -> { consumeToken(); v = createAstBinary(v, pow(true), AstBinary.MUL); }
                            case DIV -> { consumeToken(); v = createAstBinary(v, pow(true), AstBinary.DIV); }
                            case MOD -> { consumeToken(); v = createAstBinary(v, pow(true), AstBinary.MOD); }
                            case EXTENSION -> {
                                if ("//".equals(token.getImage())) {
                                    consumeToken();
                                    v = new AstBinary(v, pow(true), arithmetic("//", PyNumbers::floordiv));
                                } else if (!"**".equals(token.getImage()) && getExtensionHandler(token).getExtensionPoint() == Parser.ExtensionPoint.MUL) {
                                    v = getExtensionHandler(consumeToken()).createAstNode(v, pow(true));
                                } else {
                                    return v;
                                }
                            }
                            default -> { return v; }
                        }
                    }
                }

                /** Operands of {@code **}: a unary expression with its filters and tests ({@code -x|abs} is {@code abs(-x)}, as in Jinja2). */
                private AstNode pow(boolean required) throws jinjava.de.odysseus.el.tree.impl.Scanner.ScanException, jinjava.de.odysseus.el.tree.impl.Parser.ParseException {
                    AstNode v = filter(required);
                    if (v == null) return null;
                    while (getToken().getSymbol() == jinjava.de.odysseus.el.tree.impl.Scanner.Symbol.EXTENSION && "**".equals(getToken().getImage())) {
                        consumeToken();
                        v = new AstBinary(v, filter(true), arithmetic("**", PyNumbers::pow));
                    }
                    return v;
                }

                /**
                 * A unary expression, then any run of filters and tests in any order, as Jinja2's
                 * parse_filter_expr: {@code x|default(none) is none}, {@code x is defined|string}
                 * (Jinjava took either filters or one test, then stopped).
                 */
                @Override
                protected AstNode filter(boolean required) throws jinjava.de.odysseus.el.tree.impl.Scanner.ScanException, jinjava.de.odysseus.el.tree.impl.Parser.ParseException {
                    AstNode v = unary(required);
                    if (v == null) return null;
                    while (true) {
                        var token = getToken();
                        if ("|".equals(token.getImage()) && lookahead(0).getSymbol() == jinjava.de.odysseus.el.tree.impl.Scanner.Symbol.IDENTIFIER) {
                            consumeToken();
                            String name = consumeToken().getImage();
                            List<AstNode> params = new ArrayList<>(List.of(v, interpreter()));
                            if (getToken().getSymbol() == jinjava.de.odysseus.el.tree.impl.Scanner.Symbol.LPAREN) {
                                var p = params();
                                for (int i = 0; i < p.getCardinality(); i++) params.add(p.getChild(i));
                            }
                            v = createAstMethod(createAstDot(identifier(ExtendedParser.FILTER_PREFIX + name), "filter", true), createAstParameters(params));
                            continue;
                        }
                        if ("is".equals(token.getImage())) {
                            boolean negated = "not".equals(lookahead(0).getImage()) && TEST_NAME_SYMBOLS.contains(lookahead(1).getSymbol());
                            if (negated || TEST_NAME_SYMBOLS.contains(lookahead(0).getSymbol())) {
                                consumeToken();
                                if (negated) consumeToken();
                                String name = consumeToken().getImage();
                                List<AstNode> params = new ArrayList<>(List.of(v, interpreter()));
                                AstNode arg = value();
                                if (arg != null) params.add(arg);
                                v = createAstMethod(createAstDot(identifier(ExtendedParser.EXPTEST_PREFIX + name), negated ? "evaluateNegated" : "evaluate", true),
                                        createAstParameters(params));
                                continue;
                            }
                        }
                        return v;
                    }
                }

                /** Unary plus, which Jinjava does not parse. */
                @Override
                protected AstNode unary(boolean required) throws jinjava.de.odysseus.el.tree.impl.Scanner.ScanException, jinjava.de.odysseus.el.tree.impl.Parser.ParseException {
                    if (getToken().getSymbol() == jinjava.de.odysseus.el.tree.impl.Scanner.Symbol.PLUS) {
                        consumeToken();
                        return createAstUnary(unary(true), POS);
                    }
                    return super.unary(required);
                }

                /**
                 * Python's comparisons, all at one level and chained: {@code a < b < c} is
                 * {@code a < b and b < c}; {@code ==}, {@code !=}, {@code <}, {@code <=}, {@code >},
                 * {@code >=}, {@code in} and {@code not in} mix (Jinjava put == below < and
                 * refused a chain).
                 */
                @Override
                protected AstNode eq(boolean required) throws jinjava.de.odysseus.el.tree.impl.Scanner.ScanException, jinjava.de.odysseus.el.tree.impl.Parser.ParseException {
                    AstNode left = add(required);
                    if (left == null) return null;
                    AstNode result = null;
                    while (true) {
                        var token = getToken();
                        AstNode cmp;
                        switch (token.getSymbol()) {
                            case EQ, NE, LT, LE, GT, GE -> {
                                consumeToken();
                                AstBinary.Operator op = switch (token.getSymbol()) {
                                    case EQ -> AstBinary.EQ;
                                    case NE -> AstBinary.NE;
                                    case LT -> AstBinary.LT;
                                    case LE -> AstBinary.LE;
                                    case GT -> AstBinary.GT;
                                    default -> AstBinary.GE;
                                };
                                AstNode right = add(true);
                                cmp = createAstBinary(left, right, op);
                                result = result == null ? cmp : createAstBinary(result, cmp, AstBinary.AND);
                                left = right;
                                continue;
                            }
                            default -> { }
                        }
                        if (token.getSymbol() == jinjava.de.odysseus.el.tree.impl.Scanner.Symbol.EXTENSION
                                && getExtensionHandler(token).getExtensionPoint() == Parser.ExtensionPoint.CMP) {
                            var handler = getExtensionHandler(consumeToken());
                            AstNode right = add(true);
                            cmp = handler.createAstNode(left, right);
                            result = result == null ? cmp : createAstBinary(result, cmp, AstBinary.AND);
                            left = right;
                            continue;
                        }
                        if ("not".equals(token.getImage()) && "in".equals(lookahead(0).getImage())) {
                            consumeToken();
                            consumeToken();
                            AstNode right = add(true);
                            cmp = NOT_IN_HANDLER.createAstNode(left, right);
                            result = result == null ? cmp : createAstBinary(result, cmp, AstBinary.AND);
                            left = right;
                            continue;
                        }
                        return result == null ? left : result;
                    }
                }

                @Override
                protected jinjava.de.odysseus.el.tree.impl.Scanner createScanner(String expression) {
                    return new PyScanner(expression);
                }

                /**
                 * Dict literals as Python's: every key an expression evaluated to its value (an int
                 * stays an int, {@code {name: 1}} uses the variable), equal keys merged ({@code 1} and
                 * {@code True}); Jinjava turned every key into a string.
                 */
                @Override
                protected com.hubspot.jinjava.el.ext.AstDict createAstDict(Map<AstNode, AstNode> dict) {
                    return new com.hubspot.jinjava.el.ext.AstDict(dict) {
                        @Override
                        public Object eval(jinjava.de.odysseus.el.tree.Bindings bindings, jinjava.javax.el.ELContext context) {
                            Map<Object, Object> out = new java.util.LinkedHashMap<>();
                            for (Map.Entry<AstNode, AstNode> e : dict.entrySet()) {
                                Object key = e.getKey().eval(bindings, context);
                                if (key == null) throw new PyValues.PyError("UndefinedError: an undefined value as a dict key");
                                if (key instanceof Map<?, ?> || (key instanceof List<?> && !(key instanceof PyValues.PyTuple)))
                                    throw new PyValues.PyError("TypeError: unhashable type: '" + PyValues.typeName(key) + "'");
                                if (key instanceof SafeString) key = key.toString();
                                Object value = e.getValue().eval(bindings, context);
                                Object existing = null;
                                if (!out.containsKey(key)) for (Object k : out.keySet()) if (PyValues.pyEquals(k, key)) { existing = k; break; }
                                out.put(existing != null ? existing : key, value);
                            }
                            return out;
                        }
                    };
                }

                /** Tuples as Python's: {@code (1, 2)} prints {@code (1, 2)}, {@code (1,)} and {@code ()} parse. */
                @Override
                protected com.hubspot.jinjava.el.ext.AstTuple createAstTuple(jinjava.de.odysseus.el.tree.impl.ast.AstParameters parameters) {
                    return new com.hubspot.jinjava.el.ext.AstTuple(parameters) {
                        @Override
                        public Object eval(jinjava.de.odysseus.el.tree.Bindings bindings, jinjava.javax.el.ELContext context) {
                            return new PyValues.PyTuple(((List<?>) super.eval(bindings, context)).toArray());
                        }
                    };
                }

                @Override
                protected AstNode nonliteral() throws jinjava.de.odysseus.el.tree.impl.Scanner.ScanException, jinjava.de.odysseus.el.tree.impl.Parser.ParseException {
                    if (getToken().getSymbol() == jinjava.de.odysseus.el.tree.impl.Scanner.Symbol.LPAREN
                            && lookahead(0).getSymbol() == jinjava.de.odysseus.el.tree.impl.Scanner.Symbol.RPAREN) {
                        return createAstTuple(params());
                    }
                    return super.nonliteral();
                }

                /** Python's trailing comma in calls, lists and tuples: {@code (1,)}, {@code [1, 2,]}, {@code f(a,)}. */
                @Override
                protected jinjava.de.odysseus.el.tree.impl.ast.AstParameters params(jinjava.de.odysseus.el.tree.impl.Scanner.Symbol left,
                        jinjava.de.odysseus.el.tree.impl.Scanner.Symbol right) throws jinjava.de.odysseus.el.tree.impl.Scanner.ScanException, jinjava.de.odysseus.el.tree.impl.Parser.ParseException {
                    consumeToken(left);
                    List<AstNode> l = new ArrayList<>();
                    AstNode v = expr(false);
                    if (v != null) {
                        l.add(v);
                        while (getToken().getSymbol() == jinjava.de.odysseus.el.tree.impl.Scanner.Symbol.COMMA) {
                            consumeToken();
                            if (getToken().getSymbol() == right) break;
                            l.add(expr(true));
                        }
                    }
                    consumeToken(right);
                    return createAstParameters(l);
                }
            };
        }
    }

    /**
     * String literals as Python reads them (Jinja2 decodes them with Python's escapes): {@code \\xNN},
     * {@code \\uNNNN}, {@code \\UNNNNNNNN}, octal, {@code \\a \\v}, an unknown escape kept with its
     * backslash, and adjacent literals joined ({@code 'a' 'b'} is {@code 'ab'}); Jinjava knew six escapes
     * and refused the rest.
     */
    static final class PyScanner extends com.hubspot.jinjava.el.ext.ExtendedScanner {
        PyScanner(String input) { super(input); }

        @Override
        protected jinjava.de.odysseus.el.tree.impl.Scanner.Token nextString() throws jinjava.de.odysseus.el.tree.impl.Scanner.ScanException {
            builder.setLength(0);
            String in = getInput();
            int l = in.length();
            int i = getPosition();
            while (true) {
                char quote = in.charAt(i++);
                boolean closed = false;
                while (i < l) {
                    char c = in.charAt(i++);
                    if (c == quote) { closed = true; break; }
                    if (c != '\\') { builder.append(c); continue; }
                    if (i == l) break;
                    c = in.charAt(i++);
                    switch (c) {
                        case '\n' -> { } // a backslash-newline continues the line
                        case '\\', '\'', '"' -> builder.append(c);
                        case 'a' -> builder.append('\u0007');
                        case 'b' -> builder.append('\b');
                        case 'f' -> builder.append('\f');
                        case 'n' -> builder.append('\n');
                        case 'r' -> builder.append('\r');
                        case 't' -> builder.append('\t');
                        case 'v' -> builder.append('\u000b');
                        case 'x', 'u', 'U' -> {
                            int digits = c == 'x' ? 2 : c == 'u' ? 4 : 8;
                            if (i + digits > l || !in.substring(i, i + digits).chars().allMatch(d -> Character.digit(d, 16) >= 0))
                                throw new jinjava.de.odysseus.el.tree.impl.Scanner.ScanException(getPosition(), "truncated \\" + c + " escape", "hex digits");
                            int cp = Integer.parseInt(in.substring(i, i + digits), 16);
                            if (!Character.isValidCodePoint(cp))
                                throw new jinjava.de.odysseus.el.tree.impl.Scanner.ScanException(getPosition(), "illegal Unicode character", "a code point");
                            builder.appendCodePoint(cp);
                            i += digits;
                        }
                        default -> {
                            if (c >= '0' && c <= '7') {
                                int v = c - '0', n = 1;
                                while (n < 3 && i < l && in.charAt(i) >= '0' && in.charAt(i) <= '7') { v = v * 8 + in.charAt(i++) - '0'; n++; }
                                builder.appendCodePoint(v);
                            } else {
                                builder.append('\\').append(c);
                            }
                        }
                    }
                }
                if (!closed) throw new jinjava.de.odysseus.el.tree.impl.Scanner.ScanException(getPosition(), "unterminated string", String.valueOf(quote));
                int k = i;
                while (k < l && Character.isWhitespace(in.charAt(k))) k++;
                if (k < l && (in.charAt(k) == '\'' || in.charAt(k) == '"')) { i = k; continue; }
                return token(jinjava.de.odysseus.el.tree.impl.Scanner.Symbol.STRING, builder.toString(), i - getPosition());
            }
        }
    }

    /** The tokens a test's name can be ({@code is defined}, {@code is eq}, {@code is true}, {@code is in}). */
    private static final Set<jinjava.de.odysseus.el.tree.impl.Scanner.Symbol> TEST_NAME_SYMBOLS = Set.of(
            jinjava.de.odysseus.el.tree.impl.Scanner.Symbol.IDENTIFIER, jinjava.de.odysseus.el.tree.impl.Scanner.Symbol.EQ,
            jinjava.de.odysseus.el.tree.impl.Scanner.Symbol.NE, jinjava.de.odysseus.el.tree.impl.Scanner.Symbol.LT,
            jinjava.de.odysseus.el.tree.impl.Scanner.Symbol.LE, jinjava.de.odysseus.el.tree.impl.Scanner.Symbol.GT,
            jinjava.de.odysseus.el.tree.impl.Scanner.Symbol.GE, jinjava.de.odysseus.el.tree.impl.Scanner.Symbol.TRUE,
            jinjava.de.odysseus.el.tree.impl.Scanner.Symbol.FALSE, com.hubspot.jinjava.el.ext.CollectionMembershipOperator.TOKEN.getSymbol());

    /** The base of an attribute or item access: undefined there is an error (UndefinedError in Jinja2). */
    static final class Defined extends jinjava.de.odysseus.el.tree.impl.ast.AstRightValue {
        private final AstNode inner;

        Defined(AstNode inner) { this.inner = inner; }

        @Override
        public Object eval(jinjava.de.odysseus.el.tree.Bindings bindings, jinjava.javax.el.ELContext context) {
            Object v = inner.eval(bindings, context);
            if (v == null) {
                StringBuilder sb = new StringBuilder();
                inner.appendStructure(sb, bindings);
                throw new PyValues.PyError("UndefinedError: '" + sb + "' is undefined");
            }
            return v;
        }

        @Override public void appendStructure(StringBuilder b, jinjava.de.odysseus.el.tree.Bindings bindings) { inner.appendStructure(b, bindings); }

        @Override public int getCardinality() { return 1; }

        @Override public AstNode getChild(int i) { return i == 0 ? inner : null; }

        @Override public String toString() { return inner.toString(); }
    }

    private static final Parser.ExtensionHandler IN_HANDLER = new Parser.ExtensionHandler(Parser.ExtensionPoint.CMP) {
        @Override public AstNode createAstNode(AstNode... children) { return new AstBinary(children[0], children[1], IN); }
    };

    private static final Parser.ExtensionHandler NOT_IN_HANDLER = new Parser.ExtensionHandler(Parser.ExtensionPoint.CMP) {
        @Override public AstNode createAstNode(AstNode... children) { return new AstBinary(children[0], children[1], NOT_IN); }
    };

    private static final AstBinary.Operator IN = new AstBinary.SimpleOperator() {
        @Override protected Object apply(TypeConverter converter, Object a, Object b) { return contains(b, a); }

        @Override public String toString() { return "in"; }
    };

    private static final AstBinary.Operator NOT_IN = new AstBinary.SimpleOperator() {
        @Override protected Object apply(TypeConverter converter, Object a, Object b) { return !contains(b, a); }

        @Override public String toString() { return "not in"; }
    };

    /** Python's {@code item in container}; undefined contains nothing. */
    static boolean contains(Object container, Object item) {
        if (container == null) return false;
        if (container instanceof String || container instanceof SafeString) {
            if (!(item instanceof String || item instanceof SafeString))
                throw new PyValues.PyError("TypeError: 'in <string>' requires string as left operand, not " + PyValues.typeName(item));
            return container.toString().contains(item.toString());
        }
        if (container instanceof Map<?, ?> m) {
            if (item instanceof String && m.containsKey(item)) return true;
            for (Object k : m.keySet()) if (PyValues.pyEquals(k, item)) return true;
            return false;
        }
        if (container instanceof Iterable<?> it) {
            for (Object o : it) if (PyValues.pyEquals(o, item)) return true;
            return false;
        }
        throw new PyValues.PyError("TypeError: argument of type '" + PyValues.typeName(container) + "' is not iterable");
    }

    private static final AstBinary.Operator ADD = new AdditionOperator() {
        @Override
        protected Object apply(TypeConverter converter, Object a, Object b) {
            if (a == null || b == null) throw new PyValues.PyError("UndefinedError: an undefined value used with +");
            boolean sa = a instanceof String || a instanceof SafeString, sb = b instanceof String || b instanceof SafeString;
            if (sa || sb) {
                if (!(sa && sb)) {
                    throw new PyValues.PyError(sa ? "TypeError: can only concatenate str (not \"" + PyValues.typeName(b) + "\") to str"
                            : "TypeError: unsupported operand type(s) for +: '" + PyValues.typeName(a) + "' and 'str'");
                }
                // markupsafe: Markup + str escapes the str, and the result is Markup
                if (a instanceof SafeString && !(b instanceof SafeString)) return new SafeString(a + escape(b.toString()));
                if (b instanceof SafeString && !(a instanceof SafeString)) return new SafeString(escape(a.toString()) + b);
                if (a instanceof SafeString) return new SafeString(a.toString() + b);
                return super.apply(converter, a, b);
            }
            if (a instanceof Collection<?> != b instanceof Collection<?> || a == PyValues.NONE || b == PyValues.NONE
                    || a instanceof Map<?, ?> || b instanceof Map<?, ?> || a instanceof PyValues.PyGenerator || b instanceof PyValues.PyGenerator
                    || (a instanceof PyValues.PyTuple) != (b instanceof PyValues.PyTuple)) {
                throw new PyValues.PyError("TypeError: unsupported operand type(s) for +: '" + PyValues.typeName(a) + "' and '" + PyValues.typeName(b) + "'");
            }
            if (a instanceof Collection<?> x && b instanceof Collection<?> y) {
                if ((long) x.size() + y.size() > 1 << 20) throw new PyValues.PyError("list of " + ((long) x.size() + y.size()) + " items exceeds " + (1 << 20));
                List<Object> out = new ArrayList<>(x);
                out.addAll(y);
                return a instanceof PyValues.PyTuple ? new PyValues.PyTuple(out.toArray()) : out;
            }
            return PyNumbers.add(a, b);
        }
    };

    /** Python's {@code and}: the first falsy operand or the last, evaluated left to right, short-circuit. */
    private static final AstBinary.Operator AND = new AstBinary.Operator() {
        @Override
        public Object eval(jinjava.de.odysseus.el.tree.Bindings bindings, jinjava.javax.el.ELContext context, AstNode left, AstNode right) {
            Object l = left.eval(bindings, context);
            return PyValues.truthy(l) ? right.eval(bindings, context) : l;
        }

        @Override public String toString() { return "and"; }
    };

    /** Python's {@code or}: the first truthy operand or the last. */
    private static final AstBinary.Operator OR = new AstBinary.Operator() {
        @Override
        public Object eval(jinjava.de.odysseus.el.tree.Bindings bindings, jinjava.javax.el.ELContext context, AstNode left, AstNode right) {
            Object l = left.eval(bindings, context);
            return PyValues.truthy(l) ? l : right.eval(bindings, context);
        }

        @Override public String toString() { return "or"; }
    };

    private interface NumberOp {
        Object apply(Object a, Object b);
    }

    /** A numeric operator that, as Python, refuses undefined, None, strings and containers instead of reading them as 0. */
    private static AstBinary.Operator arithmetic(String symbol, NumberOp op) {
        return new AstBinary.SimpleOperator() {
            @Override
            protected Object apply(TypeConverter converter, Object a, Object b) {
                return op.apply(a, b);
            }

            @Override public String toString() { return symbol; }
        };
    }

    /** Python's ordering comparisons; {@code nan} is unordered. */
    private static AstBinary.Operator comparison(String symbol) {
        return new AstBinary.SimpleOperator() {
            @Override
            protected Object apply(TypeConverter converter, Object a, Object b) {
                int c = PyNumbers.compare(a, b, symbol);
                if (c == 2) return false;
                return switch (symbol) {
                    case "<" -> c < 0;
                    case "<=" -> c <= 0;
                    case ">" -> c > 0;
                    default -> c >= 0;
                };
            }

            @Override public String toString() { return symbol; }
        };
    }

    private static final jinjava.de.odysseus.el.tree.impl.ast.AstUnary.Operator POS = new jinjava.de.odysseus.el.tree.impl.ast.AstUnary.SimpleOperator() {
        @Override
        protected Object apply(TypeConverter converter, Object o) {
            if (o == null) throw new PyValues.PyError("UndefinedError: an undefined value used with unary +");
            if (!PyValues.isNumeric(o)) throw new PyValues.PyError("TypeError: bad operand type for unary +: '" + PyValues.typeName(o) + "'");
            return o instanceof Boolean b ? (Object) (b ? 1L : 0L) : o;
        }

        @Override public String toString() { return "+"; }
    };

    private static final jinjava.de.odysseus.el.tree.impl.ast.AstUnary.Operator NEG = new jinjava.de.odysseus.el.tree.impl.ast.AstUnary.SimpleOperator() {
        @Override protected Object apply(TypeConverter converter, Object o) { return PyNumbers.neg(o); }

        @Override public String toString() { return "-"; }
    };

    /** Python's {@code %}: printf-style formatting on a string, the modulo on numbers. */
    private static final AstBinary.Operator MOD = new AstBinary.SimpleOperator() {
        @Override
        protected Object apply(TypeConverter converter, Object a, Object b) {
            if (a instanceof String || a instanceof SafeString) {
                if (b == null) throw new PyValues.PyError("UndefinedError: an undefined value used with %");
                return PyFormat.percent(a.toString(), b);
            }
            return PyNumbers.mod(a, b);
        }

        @Override public String toString() { return "%"; }
    };

    /** Python's {@code *}: a string or list times an int repeats it. */
    private static final AstBinary.Operator MUL = new AstBinary.SimpleOperator() {
        @Override
        protected Object apply(TypeConverter converter, Object a, Object b) {
            if (a == null || b == null) throw new PyValues.PyError("UndefinedError: an undefined value used with *");
            if (a instanceof Number && !(b instanceof Number)) { Object t = a; a = b; b = t; }
            if ((a instanceof String || a instanceof List<?>) && PyNumbers.isInt(b)) {
                long times = PyNumbers.big(b).max(BigInteger.valueOf(-1)).min(BigInteger.valueOf(Integer.MAX_VALUE)).longValue();
                times = Math.max(0, times);
                long size = a instanceof String str ? str.length() : ((List<?>) a).size();
                if (size * times > PythonMethods.MAX_CHARS) throw new PyValues.PyError("repeated sequence of " + size * times + " exceeds " + PythonMethods.MAX_CHARS);
                if (a instanceof String str) return str.repeat((int) times);
                List<Object> out = new ArrayList<>();
                for (long i = 0; i < times; i++) out.addAll((List<?>) a);
                return out;
            }
            if ((a instanceof String || a instanceof List<?>) && PyValues.isNumeric(b))
                throw new PyValues.PyError("TypeError: can't multiply sequence by non-int of type '" + PyValues.typeName(b) + "'");
            if (a instanceof String || a instanceof Collection<?> || a instanceof Map<?, ?> || a == PyValues.NONE || b == PyValues.NONE)
                throw new PyValues.PyError("TypeError: can't multiply sequence by non-int of type '" + PyValues.typeName(b) + "'");
            return PyNumbers.mul(a, b);
        }

        @Override public String toString() { return "*"; }
    };

    private static final AstBinary.Operator EQ = new AstBinary.SimpleOperator() {
        @Override protected Object apply(TypeConverter converter, Object a, Object b) { return PyValues.pyEquals(a, b); }

        @Override public String toString() { return "=="; }
    };

    private static final AstBinary.Operator NE = new AstBinary.SimpleOperator() {
        @Override protected Object apply(TypeConverter converter, Object a, Object b) { return !PyValues.pyEquals(a, b); }

        @Override public String toString() { return "!="; }
    };

    /** markupsafe's escape. */
    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&#34;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** {@code {{ x }}} prints Python's {@code str(x)}, never re-rendered (Jinjava's nested interpretation). */
    static final class PyExecutionMode implements ExecutionMode {
        @Override
        public void prepareContext(Context context) {
            context.setExpressionStrategy(new PyExpressionStrategy());
        }
    }

    static final class PyExpressionStrategy implements ExpressionStrategy {
        @Override
        public RenderedOutputNode interpretOutput(ExpressionToken master, JinjavaInterpreter interpreter) {
            Object v = interpreter.resolveELExpression(master.getExpr(), master.getLineNumber());
            return new RenderedOutputNode(PyValues.str(v));
        }
    }

    /**
     * Macros whose undefined arguments still shadow the caller's variables of the same name:
     * Jinjava's scopes skip a null value and found the caller's ({@code render_content(message.content)}
     * with no content rendered the previous message's {@code content}). An empty Optional is
     * Jinjava's own "present but null" (unwrapped to null when read).
     */
    static final class PyMacroTag extends com.hubspot.jinjava.lib.tag.MacroTag {
        @Override
        protected com.hubspot.jinjava.lib.fn.MacroFunction constructMacroFunction(TagNode tagNode, JinjavaInterpreter interpreter, String name,
                java.util.LinkedHashMap<String, Object> argNamesWithDefaults) {
            String body = tagNode.reconstructImage();
            boolean usesVarargs = java.util.regex.Pattern.compile("\\bvarargs\\b").matcher(body).find();
            boolean usesKwargs = java.util.regex.Pattern.compile("\\bkwargs\\b").matcher(body).find();
            return new com.hubspot.jinjava.lib.fn.MacroFunction(tagNode.getChildren(), name, argNamesWithDefaults, false,
                    interpreter.getContext(), interpreter.getLineNumber(), interpreter.getPosition()) {
                @Override
                public Object doEvaluate(Map<String, Object> argMap, Map<String, Object> kwargMap, List<Object> varArgs) {
                    // the render's time budget, at every call: Jinjava catches its own recursion-depth error and
                    // renders on, so a macro that calls itself several times per level would otherwise run for hours
                    PythonMethods.checkDeadline();
                    // Jinja2 refuses extra arguments unless the macro reads varargs / kwargs
                    if (!varArgs.isEmpty() && !usesVarargs)
                        throw new PyValues.PyError("TypeError: macro '" + name + "' takes not more than " + argNamesWithDefaults.size() + " argument(s)");
                    if (!kwargMap.isEmpty() && !usesKwargs)
                        throw new PyValues.PyError("TypeError: macro '" + name + "' takes no keyword argument '" + kwargMap.keySet().iterator().next() + "'");
                    Map<String, Object> args = new java.util.LinkedHashMap<>(argMap);
                    args.replaceAll((k, v) -> v == null ? java.util.Optional.empty() : v);
                    // varargs is a tuple in Jinja2
                    return super.doEvaluate(args, kwargMap, new PyValues.PyTuple(varArgs.toArray()));
                }
            };
        }
    }

    /**
     * Jinja2's {@code {% set target = expr %}}: {@code set c = 1, 2} binds a tuple, {@code set a, b = pair}
     * unpacks any iterable of the right length, and the value is bound as it is (Jinjava evaluated
     * {@code [expr]} and took the list apart). Block sets ({@code {% set x %}…{% endset %}}) and
     * namespace attributes ({@code set ns.x = …}) go on as Jinjava does them.
     */
    static final class PySetTag extends com.hubspot.jinjava.lib.tag.SetTag {
        @Override
        public String interpret(TagNode tagNode, JinjavaInterpreter interpreter) {
            String helpers = tagNode.getHelpers();
            int eq = helpers.indexOf('=');
            if (eq < 0) return super.interpret(tagNode, interpreter);
            String var = helpers.substring(0, eq).trim();
            String expr = helpers.substring(eq + 1);
            if (var.isEmpty() || expr.isBlank()) return super.interpret(tagNode, interpreter);
            String[] targets = var.split(",", -1);
            boolean tuple = JinjaCompat.topLevelKeyword(expr, ",") >= 0;
            Object value = interpreter.resolveELExpression(tuple ? "(" + expr + ")" : expr, tagNode.getLineNumber());
            List<Object> values;
            if (targets.length > 1) {
                if (!(value instanceof Iterable<?> || value instanceof Map<?, ?> || value instanceof String))
                    throw new PyValues.PyError("TypeError: cannot unpack non-iterable " + PyValues.typeName(value) + " object");
                values = new ArrayList<>();
                if (value instanceof Map<?, ?> m) values.addAll(m.keySet());
                else if (value instanceof String str) str.codePoints().forEach(c -> values.add(Character.toString(c)));
                else for (Object o : (Iterable<?>) value) values.add(o);
                if (values.size() != targets.length)
                    throw new PyValues.PyError("ValueError: cannot unpack " + values.size() + " values into " + targets.length + " names");
            } else {
                values = java.util.Collections.singletonList(value);
            }
            executeSet((com.hubspot.jinjava.tree.parse.TagToken) tagNode.getMaster(), interpreter, targets, values, false);
            return "";
        }
    }

    /** Jinja2's {@code {% with a = 1, b = x %}…{% endwith %}}: the names bound in a scope of their own. */
    static final class WithTag implements Tag {
        @Override public String getName() { return "with"; }

        @Override public String getEndTagName() { return "endwith"; }

        @Override
        public String interpret(TagNode tagNode, JinjavaInterpreter interpreter) {
            List<Map.Entry<String, Object>> bound = new ArrayList<>();
            String helpers = tagNode.getHelpers().strip();
            while (!helpers.isEmpty()) {
                int comma = JinjaCompat.topLevelKeyword(helpers, ",");
                String part = comma < 0 ? helpers : helpers.substring(0, comma);
                helpers = comma < 0 ? "" : helpers.substring(comma + 1).strip();
                int eq = part.indexOf('=');
                if (eq <= 0) throw new PyValues.PyError("TemplateSyntaxError: expected 'name = value' in with, got '" + part.strip() + "'");
                // every value is evaluated before any name is bound, as in Jinja2
                Object value = interpreter.resolveELExpression(part.substring(eq + 1), tagNode.getLineNumber());
                bound.add(Map.entry(part.substring(0, eq).strip(), value == null ? java.util.Optional.empty() : value));
            }
            try (var scope = interpreter.enterScope()) {
                for (var e : bound) interpreter.getContext().put(e.getKey(), e.getValue());
                return renderBody(tagNode, interpreter);
            }
        }
    }

    /** A block tag's body rendered in the current scope, its children's output joined. */
    private static String renderBody(TagNode tagNode, JinjavaInterpreter interpreter) {
        StringBuilder sb = new StringBuilder();
        for (Node child : tagNode.getChildren()) sb.append(child.render(interpreter).getValue());
        return sb.toString();
    }

    /** Jinja2's {@code {% filter name(args)|other %}…{% endfilter %}}: the body's text through the filters. */
    static final class FilterTag implements Tag {
        @Override public String getName() { return "filter"; }

        @Override public String getEndTagName() { return "endfilter"; }

        @Override
        public String interpret(TagNode tagNode, JinjavaInterpreter interpreter) {
            String body = renderBody(tagNode, interpreter);
            try (var scope = interpreter.enterScope()) {
                interpreter.getContext().put("drllm_filter_body", body);
                return PyValues.str(interpreter.resolveELExpression("drllm_filter_body|" + tagNode.getHelpers().strip(), tagNode.getLineNumber()));
            }
        }
    }

    /** transformers' {@code {% generation %}…{% endgeneration %}}: marks assistant text; renders its body. */
    static final class GenerationTag implements Tag {
        @Override public String getName() { return "generation"; }

        @Override public String getEndTagName() { return "endgeneration"; }

        @Override
        public String interpret(TagNode tagNode, JinjavaInterpreter interpreter) {
            return renderBody(tagNode, interpreter);
        }
    }

    /** Jinja2 3.1's built-in filters (and transformers' tojson): any other name is an error. */
    static final Set<String> JINJA2_FILTERS = Set.of("abs", "attr", "batch", "capitalize", "center", "count", "d", "default",
            "dictsort", "e", "escape", "filesizeformat", "first", "float", "forceescape", "format", "groupby", "indent", "int",
            "items", "join", "last", "length", "list", "lower", "map", "max", "min", "pprint", "random", "reject", "rejectattr",
            "replace", "reverse", "round", "safe", "select", "selectattr", "slice", "sort", "string", "striptags", "sum",
            "title", "tojson", "trim", "truncate", "unique", "upper", "urlencode", "urlize", "wordcount", "wordwrap", "xmlattr");

    /** Jinja2 3.1's built-in tests. */
    static final Set<String> JINJA2_TESTS = Set.of("boolean", "callable", "defined", "divisibleby", "eq", "escaped", "even",
            "false", "filter", "float", "ge", "gt", "in", "integer", "iterable", "le", "lower", "lt", "mapping", "ne", "none",
            "number", "odd", "sameas", "sequence", "string", "test", "true", "undefined", "upper", "==", "!=", ">", ">=", "<",
            "<=", "equalto", "greaterthan", "lessthan");

    /** Registers the Python filters over Jinjava's where they differ. */
    static void registerFilters(Jinjava jinjava) {
        PyFilters.register(jinjava);
        PyFilters.register(jinjava, "items", (v, interpreter, a) -> {
            if (v == null) return List.of();
            if (!(v instanceof Map<?, ?> m)) throw new PyValues.PyError("TypeError: Can only get item pairs from a mapping.");
            List<Object> out = new ArrayList<>();
            for (Map.Entry<?, ?> e : m.entrySet()) out.add(new PyValues.PyTuple(e.getKey(), e.getValue()));
            return out;
        });
        for (String name : List.of("default", "d")) {
            PyFilters.register(jinjava, name, (var, interpreter, a) -> {
                Object dflt = a.get(0, "default_value", "");
                boolean bool = PyValues.truthy(a.get(1, "boolean", false));
                return var == null || (bool && !PyValues.truthy(var)) ? dflt : var;
            });
        }
        PyFilters.register(jinjava, "sum", (var, interpreter, a) -> {
            Object attr = a.get(0, "attribute", null);
            Object total = a.get(1, "start", 0L);
            if (var == null) return total;
            if (!(var instanceof Iterable<?> items)) throw new PyValues.PyError("TypeError: '" + PyValues.typeName(var) + "' object is not iterable");
            for (Object o : items) {
                Object v = attr == null ? o : o instanceof Map<?, ?> m ? m.get(attr) : null;
                if (!PyValues.isNumeric(v) || !PyValues.isNumeric(total))
                    throw new PyValues.PyError("TypeError: unsupported operand type(s) for +: '" + PyValues.typeName(total) + "' and '" + PyValues.typeName(v) + "'");
                total = PyNumbers.add(total, v);
            }
            return total;
        });
        for (String name : List.of("max", "min")) {
            PyFilters.register(jinjava, name, (var, interpreter, a) -> {
                boolean caseSensitive = PyValues.truthy(a.get(0, "case_sensitive", false));
                Object attr = a.get(1, "attribute", null);
                if (!(var instanceof Iterable<?> items)) throw new PyValues.PyError("TypeError: '" + PyValues.typeName(var) + "' object is not iterable");
                Object best = null, bestKey = null;
                for (Object o : items) {
                    Object key = attr == null ? o : o instanceof Map<?, ?> m ? m.get(attr) : null;
                    if (!caseSensitive && key instanceof String str) key = str.toLowerCase(java.util.Locale.ROOT);
                    if (best == null || (name.equals("max") ? compare(key, bestKey) > 0 : compare(key, bestKey) < 0)) { best = o; bestKey = key; }
                }
                return best; // undefined for an empty sequence, as Jinja2
            });
        }
        PyFilters.register(jinjava, "round", (var, interpreter, a) -> {
            int precision = ((Number) (a.get(0, "precision", 0L))).intValue();
            String method = PyValues.str(a.get(1, "method", "common"));
            if (!PyValues.isNumeric(var)) throw new PyValues.PyError("TypeError: type " + PyValues.typeName(var) + " doesn't define __round__ method");
            java.math.BigDecimal v = PyValues.toBigDecimal(var);
            java.math.RoundingMode mode = switch (method) {
                case "common" -> java.math.RoundingMode.HALF_EVEN; // Python's round() on the exact binary value
                case "ceil" -> java.math.RoundingMode.CEILING;
                case "floor" -> java.math.RoundingMode.FLOOR;
                default -> throw new PyValues.PyError("FilterArgumentError: method must be common, ceil or floor");
            };
            java.math.BigDecimal r = v.setScale(Math.max(-300, Math.min(precision, 300)), mode);
            // round() keeps an int an int
            boolean isFloat = var instanceof Double || var instanceof Float || var instanceof java.math.BigDecimal;
            return isFloat ? (Object) r.doubleValue() : (Object) r.toBigInteger().longValue();
        });
        PyFilters.register(jinjava, "length", (v, interpreter, a) -> (long) PyValues.len(v));
        PyFilters.register(jinjava, "count", (v, interpreter, a) -> (long) PyValues.len(v));
        PyFilters.register(jinjava, "string", (v, interpreter, a) -> v instanceof SafeString ? v : PyValues.str(v));
        PyFilters.register(jinjava, "trim", (v, interpreter, a) -> {
            Object chars = a.get(0, "chars", null);
            return PythonMethods.strip(PyValues.str(v), chars != null ? PyValues.str(chars) : null, true, true);
        });
        PyFilters.register(jinjava, "indent", (var, interpreter, a) -> {
            Object w = a.get(0, "width", 4L);
            boolean first = PyValues.truthy(a.get(1, "first", false));
            boolean blank = PyValues.truthy(a.get(2, "blank", false));
            String pad = w instanceof String s ? s : " ".repeat(((Number) w).intValue());
            // Jinja2's do_indent, step by step (a newline added, split, blank lines left alone)
            List<String> lines = PythonMethods.splitlines(PyValues.str(var) + "\n");
            StringBuilder sb = new StringBuilder();
            if (blank) {
                sb.append(String.join("\n" + pad, lines));
            } else {
                sb.append(lines.isEmpty() ? "" : lines.get(0));
                for (int i = 1; i < lines.size(); i++) sb.append('\n').append(lines.get(i).isEmpty() ? "" : pad + lines.get(i));
            }
            return first ? pad + sb : sb.toString();
        });
        PyFilters.register(jinjava, "join", (var, interpreter, a) -> {
            String sep = PyValues.str(a.get(0, "d", ""));
            Object attr = a.get(1, "attribute", null);
            if (var == null) return "";
            Iterable<?> items = var instanceof String s ? s.codePoints().mapToObj(Character::toString).toList()
                    : var instanceof Map<?, ?> m ? m.keySet() : var instanceof Iterable<?> it ? it : null;
            if (items == null) throw new PyValues.PyError("TypeError: '" + PyValues.typeName(var) + "' object is not iterable");
            StringBuilder sb = new StringBuilder();
            boolean firstItem = true;
            for (Object o : items) {
                if (!firstItem) sb.append(sep);
                firstItem = false;
                Object item = attr == null ? o : o instanceof Map<?, ?> m ? m.get(attr) : null;
                sb.append(PyValues.str(item));
                if (sb.length() > PythonMethods.MAX_CHARS) throw new PyValues.PyError("join result exceeds " + PythonMethods.MAX_CHARS + " chars");
            }
            return sb.toString();
        });
    }

    /** Python's ordering for the values max/min/sort meet: numbers by value, strings by code point. */
    static int compare(Object a, Object b) {
        if (PyValues.isNumeric(a) && PyValues.isNumeric(b)) return PyValues.toBigDecimal(a).compareTo(PyValues.toBigDecimal(b));
        if (a instanceof String x && b instanceof String y) return x.compareTo(y);
        throw new PyValues.PyError("TypeError: '<' not supported between instances of '" + PyValues.typeName(a) + "' and '" + PyValues.typeName(b) + "'");
    }

    /** Raised at a filter or test Jinja2 does not have (Jinjava has dozens more). */
    static InterpretException unknown(String kind, String name) {
        return new InterpretException("No " + kind + " named '" + name + "'.");
    }
}
