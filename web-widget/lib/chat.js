// The demo's two chat windows: the customer's chat and the agent console (with <tact-coach>).
export { CustomerChat } from './customer-chat.js';
export { AgentConsole } from './agent-console.js';
